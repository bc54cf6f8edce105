import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api';
import { Field } from './Field';

/** New passwords: the server's bounds, checked here too so the form can say so before sending. */
const MIN_LENGTH = 10;
const MAX_LENGTH = 200;

/** Change the password; the server signs out every other session. */
export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const problems: Record<string, string> = {};
    if (next.length < MIN_LENGTH) problems.newPassword = `Use at least ${MIN_LENGTH} characters.`;
    else if (next !== repeated) problems.repeated = 'The two new passwords differ.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeated('');
      setDone(true);
    } catch (failure) {
      if (failure instanceof ApiError && Object.keys(failure.fields).length > 0) setErrors(failure.fields);
      else if (failure instanceof ApiError) {
        // A wrong password names its field only in the message: "currentPassword: wrong password".
        const [field, ...rest] = failure.message.split(': ');
        if (field === 'currentPassword' || field === 'newPassword') setErrors({ [field]: rest.join(': ') || failure.message });
        else setErrors({ form: failure.message });
      } else setErrors({ form: 'Cronbeat could not be reached. Try again.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form className="stack editor" onSubmit={submit} noValidate>
        {errors.form && (
          <p className="error" role="alert">
            {errors.form}
          </p>
        )}
        <Field label="Current password" error={errors.currentPassword}>
          <input type="password" autoComplete="current-password" value={current} onChange={(event) => setCurrent(event.target.value)} />
        </Field>
        <Field label="New password" hint={`${MIN_LENGTH} to ${MAX_LENGTH} characters.`} error={errors.newPassword}>
          <input
            type="password"
            autoComplete="new-password"
            maxLength={MAX_LENGTH}
            value={next}
            onChange={(event) => setNext(event.target.value)}
          />
        </Field>
        <Field label="Repeat new password" error={errors.repeated}>
          <input type="password" autoComplete="new-password" value={repeated} onChange={(event) => setRepeated(event.target.value)} />
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Change password
          </button>
        </div>
        {done && <p role="status">Password changed. Your other sessions are signed out.</p>}
      </form>
    </section>
  );
}
