import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api';
import { navigate } from '../router';
import { Link } from './Link';

/**
 * Sign up or log in with email and password. With `invitation` (the token
 * of an invitation link) it is the way into that invitation: sign-up carries
 * the token (it admits people where registration is closed), switching
 * between the two forms stays on the link, and both lead back to it.
 */
export function AuthPage({
  mode: initialMode,
  onSignedIn,
  invitation,
}: {
  mode: 'login' | 'signup';
  onSignedIn: () => Promise<void>;
  invitation?: string;
}) {
  const [mode, setMode] = useState(initialMode);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signingUp = mode === 'signup';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await (signingUp ? api.signUp(email, password, invitation) : api.logIn(email, password));
      await onSignedIn();
      navigate(invitation ? `/join/${invitation}` : '/', { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Cronbeat could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <p className="brand">Cronbeat</p>
      <h1>{signingUp ? 'Create your account' : 'Log in'}</h1>
      {invitation && <p>You have an invitation to a project. {signingUp ? 'Create an account' : 'Log in'} to see it and join.</p>}
      <form onSubmit={submit} className="stack">
        <label>
          Email
          <input type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            required
            minLength={signingUp ? 10 : undefined}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {signingUp ? 'Sign up' : 'Log in'}
        </button>
      </form>
      {invitation ? (
        <p>
          {signingUp ? 'Have an account?' : 'New to Cronbeat?'}{' '}
          <button type="button" className="link" onClick={() => setMode(signingUp ? 'login' : 'signup')}>
            {signingUp ? 'Log in' : 'Sign up'}
          </button>
        </p>
      ) : (
        <p>
          {signingUp ? (
            <>
              Have an account? <Link to="/login">Log in</Link>
            </>
          ) : (
            <>
              New to Cronbeat? <Link to="/signup">Sign up</Link>
            </>
          )}
        </p>
      )}
    </main>
  );
}
