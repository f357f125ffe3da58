# The reference server (docs/SERVER.md, "Deploy"): built to JavaScript in a first stage, then run by Node with the
# production dependencies only — no TypeScript, no tsx, no browser.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Puppeteer is a dev dependency for the extension's tests: the server image needs no browser.
ENV PUPPETEER_SKIP_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY server ./server
COPY src/shared ./src/shared
COPY tsconfig.json vite.server.config.ts ./
RUN npm run build:server

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/server ./dist/server
RUN mkdir /data && chown node:node /data
USER node
# Listens on every interface inside the container; publish the port on loopback and put a TLS proxy in front
# (compose.yaml does both). SQLite in the /data volume unless SMARTTAGS_DATABASE names PostgreSQL.
ENV SMARTTAGS_HOST=0.0.0.0 \
    SMARTTAGS_PORT=8787 \
    SMARTTAGS_DATABASE=/data/smarttags.sqlite
VOLUME /data
EXPOSE 8787
CMD ["node", "dist/server/main.mjs"]
