# corsproof serve: the API, the page and the jobs in one small image, run as a non-root user.
#   docker build -t corsproof .
#   docker run -p 8080:8080 -v corsproof-data:/data corsproof
# The first start prints a one-time admin token in the logs (docker logs <container>).

# --- build: compile the library, the tools and the page, then drop dev dependencies ---
FROM node:22-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/corsproof/package.json packages/corsproof/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# --- run ---
FROM node:22-slim
ENV NODE_ENV=production \
    CORSPROOF_HOST=0.0.0.0 \
    CORSPROOF_PORT=8080 \
    CORSPROOF_DB=/data/corsproof.db
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/packages/corsproof/package.json ./packages/corsproof/
COPY --from=build --chown=node:node /app/packages/corsproof/dist ./packages/corsproof/dist
COPY --from=build --chown=node:node /app/node_modules ./node_modules
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.CORSPROOF_PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/corsproof.js"]
CMD ["serve"]
