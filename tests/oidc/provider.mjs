// A real OpenID Connect provider for Tandem's single sign-on tests: panva's oidc-provider
// with its development login page (any login name, no password check) and one client.
// Usage: node provider.mjs PORT REDIRECT_URI CLIENT_SECRET
// A login name is the account's e-mail; one starting with "unverified" has email_verified false.
import Provider from 'oidc-provider';

const [port, redirectUri, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'tandem',
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: `subject-${id}`, email: id, email_verified: !id.startsWith('unverified'), name: id };
      },
    };
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['tandem-test-cookie-key'] },
  // ID tokens carry the claims, so the relying party needs no userinfo call.
  conformIdTokenClaims: false,
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
