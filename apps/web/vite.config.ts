import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dashboard is served by apps/server from the same origin; `npm run dev -w @cronbeat/web` proxies the API to it. */
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: Object.fromEntries(['/api', '/auth', '/ping'].map((path) => [path, 'http://127.0.0.1:3000'])),
  },
});
