// A real OpenID Connect provider for the single sign-on tests (issue 19): panva's oidc-provider
// (npm, package.json) on 127.0.0.1, on a port the system picks. Started by tests/oidc.py with
// one argument, a JSON file:
//
//   {"client": {"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"},
//    "accounts": {"<login>": {"password": "…", "claims": {"email": …, …}, "id_token_claims": {…}}}}
//
// An account's id_token_claims are in its ID token only, never from the userinfo endpoint (as
// Entra ID puts an employee id there by a claims-mapping policy).
//
// It prints one JSON line, {"issuer": "http://127.0.0.1:<port>"}, once it answers requests.
// The authorization-code flow with PKCE required (S256), ID tokens signed RS256 with a key made
// at start, RP-initiated logout (end_session). Its own small interactions: a login form (login
// name and password, checked against "accounts") and a consent page.

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Provider } from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>${escape(title)}</title>
<link rel="icon" href="data:,"></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

function loginForm(uid, error = '') {
  return page('Regionens inloggning', `
    ${error ? `<p role="alert">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${uid}/login">
      <p><label for="login">Användarnamn</label><br><input id="login" name="login" autofocus></p>
      <p><label for="password">Lösenord</label><br><input id="password" name="password" type="password"></p>
      <button type="submit">Logga in</button>
    </form>`);
}

function consentForm(uid, client) {
  return page('Godkänn', `
    <p>${escape(client)} vill veta vem du är.</p>
    <form method="post" action="/interaction/${uid}/confirm">
      <button type="submit">Godkänn</button>
    </form>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        ...config.client,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: ['uppdrag-test-provider'] },
    claims: {
      openid: ['sub', 'oid'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name', 'name', 'preferred_username', 'employeeid'],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            'Logga ut',
            `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Logga ut från regionen</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Utloggad', '<p>Du är utloggad.</p>');
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    conformIdTokenClaims: false, // the ID token carries claims as well as the userinfo
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async (use) => ({
          sub: id,
          ...account.claims,
          ...(use === 'id_token' ? account.id_token_claims : {}),
        }),
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Fel', `<pre>${escape(JSON.stringify(out))}</pre>`);
    },
  });
  const handleProvider = provider.callback();

  async function interaction(req, res) {
    const [, , uid, action] = new URL(req.url, issuer).pathname.split('/');
    const details = await provider.interactionDetails(req, res);
    const html = (body) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (req.method === 'GET') {
      return details.prompt.name === 'login'
        ? html(loginForm(uid))
        : html(consentForm(uid, details.params.client_id));
    }
    if (action === 'login') {
      const form = await readForm(req);
      const login = form.get('login') || '';
      if (!accounts[login] || accounts[login].password !== form.get('password')) {
        return html(loginForm(uid, 'Fel användarnamn eller lösenord.'));
      }
      return provider.interactionFinished(req, res, { login: { accountId: login } }, {
        mergeWithLastSubmission: false,
      });
    }
    // consent: grant what was asked for, as oidc-provider's own development interactions do
    const { prompt: { details: missing }, grantId, session, params } = details;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
      mergeWithLastSubmission: true,
    });
  }

  server.on('request', (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(req, res).catch((error) => {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(String(error));
      });
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else {
      handleProvider(req, res);
    }
  });
  console.log(JSON.stringify({ issuer }));
});
