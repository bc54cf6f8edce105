import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api';
import { navigate } from '../router';
import { Link } from './Link';

/** Sign up or log in with email and password. */
export function AuthPage({ mode, onSignedIn }: { mode: 'login' | 'signup'; onSignedIn: () => Promise<void> }) {
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
      await (signingUp ? api.signUp(email, password) : api.logIn(email, password));
      await onSignedIn();
      navigate('/', { replace: true });
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
    </main>
  );
}
