import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

/**
 * The dashboard is served by apps/server from the same origin; `npm run dev -w @cronbeat/web` proxies the API to it.
 * The build writes a Brotli and a gzip copy beside each script and stylesheet, which the server sends to browsers
 * that accept them (its static files are served with `preCompressed`): about a third of the bytes on a first visit,
 * compressed once at build time rather than on every request.
 */
export default defineConfig({
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css)$/, threshold: 1024 })],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: Object.fromEntries(['/api', '/auth', '/ping'].map((path) => [path, 'http://127.0.0.1:3000'])),
  },
});
