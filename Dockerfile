# Cronbeat: one image for every role. The default command runs everything in
# one process (embedded PGlite unless DATABASE_URL is set); compose and
# Kubernetes run the same image as `migrate`, `server` or `worker`.

FROM node:24-slim AS build
WORKDIR /app
COPY . .
# Install everything, build the dashboard into apps/web/dist and the apps into
# JavaScript bundles (apps/*/dist, packages/db/dist: scripts/build-apps.mjs),
# then drop the development dependencies so only what runs is copied on.
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
# V8's young generation in semi-spaces of up to 64 MB instead of 16: a ping
# allocates about 20 KB, so at thousands of pings a second the default
# collected ten times a second and promoted what was still in flight, and the
# old-generation collections that followed every few seconds set the ping
# p99. The same flag as `npm start`; compose and Kubernetes keep it, as they
# only change the command.
ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Compiled JavaScript, run by plain Node without npm in between, so signals
# reach Node directly. The roles: apps/standalone/dist/main.js (this
# default: everything in one process), apps/server/dist/main.js,
# apps/worker/dist/main.js, packages/db/dist/migrate.js and
# packages/db/dist/copy.js; the same programs as `npm start`,
# `npm run start:server`, `npm run start:worker`, `npm run db:migrate` and
# `npm run db:copy-to-postgres`, which run the TypeScript through tsx.
CMD ["node", "apps/standalone/dist/main.js"]
