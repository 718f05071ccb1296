import { describe, expect, it } from 'vitest';
import { type Config, testConfig } from '../../src/config.js';
import { testApp } from '../support/app.js';

const realSecret: Config['jwt'] = {
  ...testConfig().jwt,
  secret: 'a-real-secret-of-some-length',
  usingDevSecret: false,
};

async function signInPage(config: Partial<Config>) {
  const t = await testApp({ config });
  try {
    const page = await t.request({ method: 'GET', url: '/app/sign-in' });
    const post = await t.request({
      method: 'POST',
      url: '/app/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=ada.lovelace',
    });
    const home = await t.request({ method: 'GET', url: '/app/' });
    return { page: page.statusCode, post: post.statusCode, home: home.statusCode };
  } finally {
    await t.close();
  }
}

/** `/app/sign-in` lets anyone be a demo user: it is mounted only on purpose. */
describe('the development sign-in', () => {
  it('is mounted on the development secret (a plain `npm start`)', async () => {
    expect(await signInPage({ env: 'development' })).toMatchObject({ page: 200, home: 302 });
  });

  it('is not mounted when a real JWT_SECRET_KEY is configured and NODE_ENV is unset', async () => {
    expect(await signInPage({ env: 'development', jwt: realSecret })).toEqual({
      page: 404,
      post: 404,
      home: 200,
    });
  });

  it('is mounted next to a real secret only with CAMPUS_DEV_SIGN_IN=1', async () => {
    expect(await signInPage({ env: 'development', jwt: realSecret, devSignIn: true })).toMatchObject({
      page: 200,
      home: 302,
    });
  });

  it('can be switched off on the development secret with CAMPUS_DEV_SIGN_IN=0', async () => {
    expect((await signInPage({ env: 'development', devSignIn: false })).page).toBe(404);
  });
});
