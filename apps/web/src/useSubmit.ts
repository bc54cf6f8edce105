import { type FormEvent, useState } from 'react';
import { ApiError } from './api';

/**
 * A form's submit handler around `action`: busy while it runs, and its
 * error as a sentence to show (the server's message, or that Cronbeat could
 * not be reached).
 */
export function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Cronbeat could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
