import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Session, setCurrentProject } from '../api';
import { navigate, useRoute } from '../router';
import { rememberedProject, rememberProject, SessionContext, type SessionState } from '../session';
import { AuthPage } from './AuthPage';
import { JoinPage } from './JoinPage';
import { Layout } from './Layout';
import { NoProjects } from './NoProjects';
import { Screen } from './Screen';

/** Loads the session, then shows the sign-in screens or the signed-in dashboard. */
export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [projectId, setProjectId] = useState<string | null>(rememberedProject());
  const [loadError, setLoadError] = useState<string | null>(null);

  const refreshSession = useCallback(async () => {
    try {
      setSession(await api.session());
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error));
    }
  }, []);

  useEffect(() => {
    void refreshSession();
  }, [refreshSession]);

  const state = useMemo<SessionState | null>(() => {
    if (!session) return null;
    const project = session.projects.find((candidate) => candidate.id === projectId) ?? session.projects[0];
    if (!project) return null;
    setCurrentProject(project.id);
    return {
      session,
      project,
      canWrite: project.role !== 'readonly',
      canAdmin: project.role === 'owner' || project.role === 'admin',
      switchProject: (id) => {
        rememberProject(id);
        setProjectId(id);
        navigate('/');
      },
      refreshSession,
      logOut: () => {
        void api.logOut().finally(() => {
          setCurrentProject(null);
          setSession(null);
          navigate('/login');
        });
      },
    };
  }, [session, projectId, refreshSession]);

  // Remembered as shown, so the next visit asks for this project's checks before the session answers (main.tsx).
  const shownProject = state?.project.id;
  useEffect(() => {
    if (shownProject) rememberProject(shownProject);
  }, [shownProject]);

  if (loadError)
    return (
      <p className="page-message" role="alert">
        Cronbeat could not load: {loadError}
      </p>
    );
  if (session === undefined) return <p className="page-message">Loading…</p>;
  const enter = async (id: string) => {
    rememberProject(id);
    setProjectId(id);
    await refreshSession();
  };
  if (!session) {
    if (route.screen === 'join') return <AuthPage mode="signup" onSignedIn={refreshSession} invitation={route.token} />;
    return <AuthPage mode={route.screen === 'signup' ? 'signup' : 'login'} onSignedIn={refreshSession} />;
  }
  // An invitation link works for everyone signed in, in projects or not.
  if (route.screen === 'join') return <JoinPage token={route.token} onJoined={enter} />;
  if (!state) return <NoProjects onEntered={enter} onLogOut={() => void api.logOut().finally(() => setSession(null))} />;
  return (
    <SessionContext.Provider value={state}>
      <Layout>
        <Screen route={route} />
      </Layout>
    </SessionContext.Provider>
  );
}
