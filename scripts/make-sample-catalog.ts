/**
 * Writes data/catalog-sample.json: a course-discovery-shaped catalog dump for demos and tests
 * (`campus seed --demo`, `campus import catalog`). Deterministic: a fixed-seed PRNG drives every
 * choice, so the file is byte-identical on every run.
 *
 *   npx tsx scripts/make-sample-catalog.ts
 *
 * Runs are dated around 2026-06-01 (the test clock): past, current and future terms.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny 32-bit PRNG, good enough for sample data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20261123);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A uuid v4 shape (version nibble 4, variant 8–b) from the PRNG. */
function uuid(): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += Math.floor(random() * 16).toString(16);
  const variant = (8 + Math.floor(random() * 4)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// Source material

type CourseType =
  | 'verified-audit'
  | 'audit'
  | 'professional'
  | 'credit-verified-audit'
  | 'verified'
  | 'honor';
type RunType = 'audit' | 'verified-audit' | 'professional' | 'credit-verified-audit' | 'verified' | 'honor';

/**
 * The run types each seeded course type allows (docs/decisions/0010-course-type-catalogue.md),
 * most common first.
 */
const RUN_TYPES: Record<CourseType, RunType[]> = {
  'verified-audit': ['verified-audit'],
  audit: ['audit'],
  professional: ['professional'],
  'credit-verified-audit': ['credit-verified-audit', 'credit-verified-audit', 'verified-audit'],
  verified: ['verified'],
  honor: ['honor'],
};

/** Entitlement seat types per seeded course type. */
const ENTITLEMENTS: Record<CourseType, string[]> = {
  'verified-audit': ['verified'],
  audit: [],
  professional: ['professional'],
  'credit-verified-audit': ['verified'],
  verified: ['verified'],
  honor: [],
};

/** Seat slugs per run type, in the order course-discovery lists them. */
const SEATS: Record<RunType, string[]> = {
  audit: ['audit'],
  'verified-audit': ['audit', 'verified'],
  professional: ['professional'],
  'credit-verified-audit': ['audit', 'verified', 'credit'],
  verified: ['verified'],
  honor: ['honor'],
};

const ORGS: Array<{ key: string; name: string }> = [
  { key: 'HarvardX', name: 'Harvard University' },
  { key: 'MITx', name: 'Massachusetts Institute of Technology' },
  { key: 'BerkeleyX', name: 'University of California, Berkeley' },
  { key: 'DelftX', name: 'Delft University of Technology' },
  { key: 'UQx', name: 'The University of Queensland' },
  { key: 'GeorgetownX', name: 'Georgetown University' },
  { key: 'IBM', name: 'IBM' },
  { key: 'LinuxFoundationX', name: 'The Linux Foundation' },
];

/** [org, number, title, course type, short description] */
const COURSES: Array<[string, string, string, CourseType, string]> = [
  [
    'HarvardX',
    'CS50x',
    "CS50's Introduction to Computer Science",
    'verified-audit',
    'An introduction to the intellectual enterprises of computer science and the art of programming.',
  ],
  [
    'HarvardX',
    'CS50P',
    "CS50's Introduction to Programming with Python",
    'verified-audit',
    'Learn to read and write code in Python, a popular language for data science and automation.',
  ],
  [
    'HarvardX',
    'CS50W',
    "CS50's Web Programming with Python and JavaScript",
    'verified-audit',
    'Design and implement web apps with Django, React and SQL.',
  ],
  [
    'HarvardX',
    'CS50AI',
    "CS50's Introduction to Artificial Intelligence with Python",
    'verified-audit',
    'Graph search, classification, optimization and reinforcement learning, in Python.',
  ],
  [
    'HarvardX',
    'PH125.1x',
    'Data Science: R Basics',
    'verified-audit',
    'Build a foundation in R and learn how to wrangle, analyze and visualize data.',
  ],
  [
    'HarvardX',
    'PH125.2x',
    'Data Science: Visualization',
    'verified-audit',
    'Learn basic data visualization principles and how to apply them using ggplot2.',
  ],
  [
    'HarvardX',
    'PH125.3x',
    'Data Science: Probability',
    'verified-audit',
    'Learn probability theory, essential for a data scientist, using a case study on the 2007 financial crisis.',
  ],
  [
    'HarvardX',
    'MCB80.1x',
    'Fundamentals of Neuroscience, Part 1: The Electrical Properties of the Neuron',
    'credit-verified-audit',
    'Discover what makes neurons unique and how they communicate.',
  ],
  [
    'MITx',
    '6.00.1x',
    'Introduction to Computer Science and Programming Using Python',
    'verified-audit',
    'An introduction to computer science as a tool to solve real-world analytical problems using Python.',
  ],
  [
    'MITx',
    '6.00.2x',
    'Introduction to Computational Thinking and Data Science',
    'verified-audit',
    'Use computation to accomplish a variety of goals and learn computational models for data.',
  ],
  [
    'MITx',
    '6.86x',
    'Machine Learning with Python: from Linear Models to Deep Learning',
    'credit-verified-audit',
    'An in-depth introduction to machine learning, from linear models to deep learning and reinforcement learning.',
  ],
  [
    'MITx',
    '18.6501x',
    'Fundamentals of Statistics',
    'credit-verified-audit',
    'Develop a deep understanding of the principles that underpin statistical inference.',
  ],
  [
    'MITx',
    '6.431x',
    'Probability - The Science of Uncertainty and Data',
    'credit-verified-audit',
    'Build foundational knowledge of data science with this introduction to probabilistic models.',
  ],
  [
    'MITx',
    '14.310x',
    'Data Analysis for Social Scientists',
    'credit-verified-audit',
    'Learn methods for harnessing and analyzing data to answer questions of cultural, social, economic and policy interest.',
  ],
  [
    'MITx',
    '15.071x',
    'The Analytics Edge',
    'verified-audit',
    'Through inspiring examples and stories, discover the power of data and use analytics to provide an edge.',
  ],
  [
    'MITx',
    '8.01.1x',
    'Mechanics: Kinematics and Dynamics',
    'audit',
    'The first of three courses in the introductory mechanics sequence of the MIT Physics Department.',
  ],
  [
    'BerkeleyX',
    'Data8.1x',
    'Foundations of Data Science: Computational Thinking with Python',
    'verified-audit',
    'Learn the foundations of data science: computational thinking, Python and tables of data.',
  ],
  [
    'BerkeleyX',
    'Data8.2x',
    'Foundations of Data Science: Inferential Thinking by Resampling',
    'verified-audit',
    'Learn how to use inferential thinking to make conclusions about unknowns based on data in random samples.',
  ],
  [
    'BerkeleyX',
    'Data8.3x',
    'Foundations of Data Science: Prediction and Machine Learning',
    'verified-audit',
    'Learn how to use machine learning, with a focus on regression and classification, to make predictions.',
  ],
  [
    'BerkeleyX',
    'GG101x',
    'The Science of Happiness',
    'verified-audit',
    'Learn science-based principles and practices for a happy, meaningful life.',
  ],
  [
    'BerkeleyX',
    'CS198.1x',
    'Bitcoin and Cryptocurrencies',
    'verified-audit',
    'Learn about Bitcoin, the first decentralized cryptocurrency, and the blockchain behind it.',
  ],
  [
    'BerkeleyX',
    'CS198.2x',
    'Blockchain Technology',
    'verified-audit',
    'Learn blockchain technology beyond Bitcoin: distributed consensus, enterprise blockchains and scaling.',
  ],
  [
    'BerkeleyX',
    'ColWri2.2x',
    'Academic and Business Writing',
    'verified',
    'Learn how to write clear, effective academic and professional prose.',
  ],
  [
    'BerkeleyX',
    'Stat2.1x',
    'Introduction to Statistics: Descriptive Statistics',
    'honor',
    'An introduction to descriptive statistics: histograms, averages, correlation and regression.',
  ],
  [
    'DelftX',
    'EX101x',
    'Data Analysis: Take It to the MAX()',
    'verified-audit',
    'Learn to analyze data with spreadsheets, from pivot tables to VLOOKUP and beyond.',
  ],
  [
    'DelftX',
    'TW3421x',
    'Credit Risk Management',
    'verified-audit',
    'Learn how to measure and manage credit risk, the largest risk banks face.',
  ],
  [
    'DelftX',
    'CTB3365DWx',
    'Introduction to Drinking Water Treatment',
    'verified-audit',
    'Learn the fundamentals of drinking water treatment, from source to tap.',
  ],
  [
    'DelftX',
    'CTB3300WCx',
    'Introduction to Water and Climate',
    'verified-audit',
    'Learn how water and climate interact and how engineers can adapt to a changing climate.',
  ],
  [
    'DelftX',
    'CTB3365STx',
    'Introduction to the Treatment of Urban Sewage',
    'verified-audit',
    'Learn how urban sewage is collected, treated and reused.',
  ],
  [
    'DelftX',
    'AE1110x',
    'Introduction to Aeronautical Engineering',
    'verified-audit',
    'Learn the fundamentals of aerodynamics, flight mechanics and aircraft design.',
  ],
  [
    'DelftX',
    'ET3034x',
    'Solar Energy',
    'honor',
    'Discover the power of solar energy and design a complete photovoltaic system.',
  ],
  [
    'DelftX',
    'ST1x',
    'Automated Software Testing: Unit Testing, Coverage Criteria and Design for Testability',
    'professional',
    'Learn to test software systematically and design code that is easy to test.',
  ],
  [
    'UQx',
    'PSYC1030x',
    'Introduction to Developmental Psychology',
    'verified-audit',
    'Learn how humans grow, change and adapt across the lifespan.',
  ],
  [
    'UQx',
    'BIOIMG101x',
    'Biomedical Imaging',
    'verified-audit',
    'Discover how biomedical imaging technologies see inside the body.',
  ],
  [
    'UQx',
    'Write101x',
    'English Grammar and Style',
    'verified-audit',
    'Improve the clarity and style of your writing in English.',
  ],
  [
    'UQx',
    'DENIAL101x',
    'Making Sense of Climate Science Denial',
    'verified-audit',
    'Learn to respond to climate misinformation with the science behind it.',
  ],
  [
    'UQx',
    'HYPERS301x',
    'Hypersonics - from Shock Waves to Scramjets',
    'audit',
    'An introduction to the physics of hypersonic flight and scramjet propulsion.',
  ],
  [
    'UQx',
    'TROPIC101x',
    'Tropical Coastal Ecosystems',
    'verified-audit',
    'Learn about the ecology of coral reefs, mangroves and seagrass meadows, and how to protect them.',
  ],
  [
    'UQx',
    'LEAD101x',
    'Leadership Essentials for Managers',
    'professional',
    'Build the essential skills to lead teams through change.',
  ],
  [
    'UQx',
    'BUSLEAN1x',
    'Lean Six Sigma Fundamentals',
    'professional',
    'Learn Lean Six Sigma tools to improve processes and reduce waste.',
  ],
  [
    'GeorgetownX',
    'INAF502x',
    "Globalization's Winners and Losers: Challenges for Developed and Developing Countries",
    'verified-audit',
    'Explore the economic forces of globalization and who gains or loses from them.',
  ],
  [
    'GeorgetownX',
    'GUIX-501',
    'Terrorism and Counterterrorism: Comparing Theory and Practice',
    'verified-audit',
    'Learn how terrorist groups operate and how states respond to them.',
  ],
  [
    'GeorgetownX',
    'MEDX202x',
    'Genomic Medicine Gets Personal',
    'verified-audit',
    'Learn how genomic medicine is transforming diagnosis and treatment.',
  ],
  [
    'GeorgetownX',
    'PHLX101x',
    'Introduction to Bioethics',
    'credit-verified-audit',
    'Explore the ethical questions raised by advances in medicine and the life sciences.',
  ],
  [
    'GeorgetownX',
    'ECON101x',
    'Principles of Microeconomics',
    'credit-verified-audit',
    'Learn how individuals and firms make decisions and how markets work.',
  ],
  [
    'GeorgetownX',
    'HIST201x',
    'The American Presidency',
    'audit',
    'Examine how the powers of the presidency have grown since 1789.',
  ],
  [
    'GeorgetownX',
    'FIN301x',
    'Corporate Finance Essentials',
    'professional',
    'Learn how companies value projects, raise capital and manage risk.',
  ],
  [
    'GeorgetownX',
    'LAW110x',
    'Introduction to International Law',
    'verified',
    'Learn how international law is made, interpreted and enforced.',
  ],
  [
    'IBM',
    'DS0101EN',
    'Introduction to Data Science',
    'verified-audit',
    'What data science is, what data scientists do, and the tools they use.',
  ],
  [
    'IBM',
    'PY0101EN',
    'Python Basics for Data Science',
    'verified-audit',
    'Kickstart your learning of Python for data science and programming in general.',
  ],
  [
    'IBM',
    'DB0101EN',
    'SQL for Data Science',
    'verified-audit',
    'Learn how to use and apply SQL to query relational databases.',
  ],
  [
    'IBM',
    'DA0101EN',
    'Analyzing Data with Python',
    'verified-audit',
    'Learn how to analyze data using Python, pandas and scikit-learn.',
  ],
  [
    'IBM',
    'DV0101EN',
    'Visualizing Data with Python',
    'verified-audit',
    'Learn to create meaningful charts with Matplotlib, Seaborn and Folium.',
  ],
  [
    'IBM',
    'ML0101EN',
    'Machine Learning with Python: A Practical Introduction',
    'verified-audit',
    'Learn the core machine learning algorithms and apply them with Python.',
  ],
  [
    'IBM',
    'DL0110EN',
    'Deep Learning with Python and PyTorch',
    'professional',
    'Learn to build deep learning models with PyTorch.',
  ],
  [
    'IBM',
    'CC0101EN',
    'Introduction to Cloud Computing',
    'professional',
    'Learn cloud computing service and deployment models and the main providers.',
  ],
  [
    'LinuxFoundationX',
    'LFS101x',
    'Introduction to Linux',
    'verified-audit',
    'Develop a good working knowledge of Linux using both the graphical interface and the command line.',
  ],
  [
    'LinuxFoundationX',
    'LFS158x',
    'Introduction to Kubernetes',
    'verified-audit',
    'Learn how to deploy and manage containerized applications with Kubernetes.',
  ],
  [
    'LinuxFoundationX',
    'LFS162x',
    'Introduction to DevOps and Site Reliability Engineering',
    'verified-audit',
    'Learn the DevOps and SRE practices that let teams ship reliable software fast.',
  ],
  [
    'LinuxFoundationX',
    'LFS151.x',
    'Introduction to Cloud Infrastructure Technologies',
    'verified-audit',
    'Learn the fundamentals of building and using cloud infrastructure.',
  ],
  [
    'LinuxFoundationX',
    'LFD121x',
    'Developing Secure Software',
    'professional',
    'Learn the security basics that every software developer needs.',
  ],
  [
    'LinuxFoundationX',
    'LFS170x',
    'Blockchain: Understanding Its Uses and Implications',
    'verified-audit',
    'Understand what blockchain is and how it can change businesses.',
  ],
  [
    'LinuxFoundationX',
    'LFS167x',
    'Introduction to Jenkins',
    'audit',
    'Learn continuous integration and delivery with Jenkins.',
  ],
  [
    'LinuxFoundationX',
    'LFC191x',
    'Open Source Licensing Basics for Software Developers',
    'verified',
    'Learn the basics of open source licenses and how to comply with them.',
  ],
];

/** Verified, professional and credit prices in cents, whole dollars and cents. */
const VERIFIED_PRICES = [2500, 4900, 4900, 5000, 7550, 8999, 9900, 9900, 14900, 19900, 24900];
const PROFESSIONAL_PRICES = [9900, 14900, 19900, 29900, 34950, 49900];
const CREDIT_PRICES = [30000, 45000, 60000, 120000];

// ---------------------------------------------------------------------------------------------
// Shapes (the dump format read by src/modules/catalog/import/dump.schemas.ts)

interface Seat {
  type: string;
  price: string;
  currency: 'USD';
  upgrade_deadline: string | null;
}
interface Run {
  uuid: string;
  key: string;
  title: string;
  start: string;
  end: string;
  enrollment_start: string | null;
  enrollment_end: string | null;
  pacing_type: 'instructor_paced' | 'self_paced';
  status: 'published' | 'unpublished' | 'reviewed';
  run_type: RunType;
  seats: Seat[];
}
interface Course {
  uuid: string;
  key: string;
  title: string;
  short_description: string;
  org: string;
  course_type: CourseType;
  entitlements: Array<{ mode: string; price: string; currency: 'USD' }>;
  course_runs: Run[];
}

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const dollars = (cents: number) => (cents / 100).toFixed(2);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** The last second of the day ten days before the run ends: course-discovery's default deadline. */
const upgradeDeadline = (end: number) => {
  const d = new Date(end - 10 * DAY);
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 59, 59));
};
/** `{ceil(month/4)}T{year}`, as course-discovery derives a run's term from its start. */
const term = (start: number) => {
  const d = new Date(start);
  return `${Math.ceil((d.getUTCMonth() + 1) / 4)}T${d.getUTCFullYear()}`;
};

function makeRuns(org: string, number: string, title: string, type: CourseType): Run[] {
  const verified = pick(VERIFIED_PRICES);
  const professional = pick(PROFESSIONAL_PRICES);
  const credit = pick(CREDIT_PRICES);
  const count = int(2, 4);
  const selfPaced = random() < 0.35;
  // The newest run starts between Oct 2025 and Mar 2027; each earlier one 4 to 9 months before.
  const starts = [Date.UTC(2025, 9 + int(0, 17), pick([1, 15]), 14)];
  while (starts.length < count) {
    const d = new Date(starts[0]! - int(4, 9) * 30 * DAY);
    starts.unshift(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), pick([1, 15]), 14));
  }
  const runs: Run[] = [];
  const keys = new Set<string>();
  for (const [i, start] of starts.entries()) {
    const weeks = selfPaced ? int(40, 52) : int(8, 14);
    const end = start + weeks * 7 * DAY + 9 * 3600_000; // ends at 23:00 UTC
    // Courses that added a verified track later kept an audit-only first run.
    const runType = i === 0 && type === 'verified-audit' && random() < 0.25 ? 'audit' : pick(RUN_TYPES[type]);
    const raise = i >= 2 && random() < 0.4 ? 1000 : 0; // newer runs sometimes cost $10 more
    const enrollmentEnd = random() < 0.5 ? null : end - int(0, 14) * DAY;
    const status: Run['status'] =
      end < NOW
        ? random() < 0.85
          ? 'published'
          : 'unpublished'
        : start > NOW
          ? pick(['published', 'published', 'reviewed', 'unpublished'] as const)
          : 'published';
    let key = `course-v1:${org}+${number}+${term(start)}`;
    for (let s = 0; keys.has(key); s++) key = `course-v1:${org}+${number}+${term(start)}${'abcdefgh'[s]}`;
    keys.add(key);
    runs.push({
      uuid: uuid(),
      key,
      title,
      start: iso(start),
      end: iso(end),
      enrollment_start: iso(start - int(30, 90) * DAY),
      enrollment_end: enrollmentEnd === null ? null : iso(enrollmentEnd),
      pacing_type: selfPaced ? 'self_paced' : 'instructor_paced',
      status,
      run_type: runType,
      seats: SEATS[runType].map((slug) => {
        const cents =
          slug === 'verified'
            ? verified + raise
            : slug === 'professional'
              ? professional + raise
              : slug === 'credit'
                ? credit
                : 0;
        return {
          type: slug,
          price: dollars(cents),
          currency: 'USD',
          upgrade_deadline: slug === 'verified' ? upgradeDeadline(end) : null,
        };
      }),
    });
  }
  return runs;
}

function makeCourse([org, number, title, type, description]: (typeof COURSES)[number]): Course {
  const course_runs = makeRuns(org, number, title, type);
  // The entitlement costs what the newest run's seat of that mode costs.
  const newest = course_runs[course_runs.length - 1]!;
  return {
    uuid: uuid(),
    key: `${org}+${number}`,
    title,
    short_description: description,
    org,
    course_type: type,
    entitlements: ENTITLEMENTS[type].map((mode) => ({
      mode,
      price: newest.seats.find((s) => s.type === mode)?.price ?? dollars(pick(VERIFIED_PRICES)),
      currency: 'USD',
    })),
    course_runs,
  };
}

// ---------------------------------------------------------------------------------------------
// Build

const organizations = ORGS.map((o) => ({ key: o.key, name: o.name, uuid: uuid() }));
const courses = COURSES.map(makeCourse);
const byKey = new Map(courses.map((c) => [c.key, c]));

/** [title, program type, course keys, how many of the oldest runs of each course to exclude] */
const PROGRAMS: Array<[string, string, string[], number]> = [
  [
    'Data Science',
    'professional-certificate',
    ['HarvardX+PH125.1x', 'HarvardX+PH125.2x', 'HarvardX+PH125.3x'],
    0,
  ],
  [
    'Statistics and Data Science',
    'micromasters',
    ['MITx+6.431x', 'MITx+18.6501x', 'MITx+6.86x', 'MITx+14.310x'],
    1,
  ],
  [
    'IBM Data Science',
    'professional-certificate',
    ['IBM+DS0101EN', 'IBM+PY0101EN', 'IBM+DB0101EN', 'IBM+DA0101EN', 'IBM+DV0101EN', 'IBM+ML0101EN'],
    1,
  ],
  ['Blockchain Fundamentals', 'xseries', ['BerkeleyX+CS198.1x', 'BerkeleyX+CS198.2x'], 0],
  [
    'Computer Science Fundamentals',
    'microbachelors',
    ['HarvardX+CS50x', 'MITx+6.00.1x', 'MITx+6.00.2x', 'HarvardX+CS50P'],
    0,
  ],
  [
    'Water Management in Urban Areas',
    'masters',
    ['DelftX+CTB3365DWx', 'DelftX+CTB3300WCx', 'DelftX+CTB3365STx'],
    0,
  ],
];

const programs = PROGRAMS.map(([title, type, keys, excludeOldest]) => {
  const members = keys.map((k) => {
    const course = byKey.get(k);
    if (!course) throw new Error(`program ${title}: no course ${k}`);
    return course;
  });
  return {
    uuid: uuid(),
    title,
    type,
    status: 'active',
    courses: keys,
    // Retired runs that no longer count toward the program: the oldest run of every other course.
    excluded_course_runs: members
      .filter((_, i) => i % 2 === 0)
      .flatMap((c) => c.course_runs.slice(0, excludeOldest).map((r) => r.key)),
  };
});

const runCount = courses.reduce((n, c) => n + c.course_runs.length, 0);
if (courses.length < 60 || runCount < 180) {
  throw new Error(`too small: ${courses.length} courses, ${runCount} runs; change the seed`);
}

const text = `${JSON.stringify({ organizations, courses, programs }, null, 1)}\n`;
const file = path.resolve(import.meta.dirname, '../data/catalog-sample.json');
writeFileSync(file, text);
console.log(
  `${path.relative(process.cwd(), file)}: ${organizations.length} organizations, ${courses.length} courses, ` +
    `${runCount} runs, ${programs.length} programs, ${(text.length / 1024).toFixed(0)} KB`,
);
