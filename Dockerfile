# syntax=docker/dockerfile:1
# One image for `imply-operator controller` and `imply-operator emulator`.
#   docker build -t imply-operator:0.1.0 .
# Node 24 is the Active LTS line; bump NODE_IMAGE with each LTS.
ARG NODE_IMAGE=node:24-bookworm-slim

# Build: all dependencies, then tsc to dist/. --ignore-scripts skips `prepare` (which would run tsc
# before the sources are copied); the build runs explicitly below.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime: production dependencies only, the compiled code and the entry point; no sources, no
# compiler, no npm cache. Runs as an unprivileged numeric user (the Deployments' runAsUser).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/dist ./dist
USER 65532:65532
EXPOSE 8080 8081 9444
ENTRYPOINT ["node", "/app/bin/imply-operator.js"]
CMD ["controller"]
