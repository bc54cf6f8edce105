import { createContext, useContext } from 'react';
import type { Session } from './api';
import type { Project } from './types';

export interface SessionState {
  session: Session;
  project: Project;
  /** Whether the caller may change checks and channels (member or above). */
  canWrite: boolean;
  /** Whether the caller may manage members, keys and the ping key (admin or above). */
  canAdmin: boolean;
  switchProject: (id: string) => void;
  refreshSession: () => Promise<void>;
  logOut: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a signed-in screen');
  return state;
}

const PROJECT_KEY = 'cronbeat.project';
export const rememberedProject = () => localStorage.getItem(PROJECT_KEY);
export const rememberProject = (id: string) => localStorage.setItem(PROJECT_KEY, id);
