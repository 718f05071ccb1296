// The catalog's HTTP test helpers live in test/support so that other modules' tests can use them too.
export { COURSE_TYPE, catalogClient, RUN_TYPE, seatsOf, TRACK } from '../../../../test/support/catalog.js';
