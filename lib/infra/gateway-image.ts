/**
 * The gateway's container image, staged at synthesis: containers/gateway.ts
 * bundled by local esbuild with the functions' settings (BUNDLING), zstd's
 * WebAssembly beside it, and containers/gateway.Dockerfile as the folder's
 * Dockerfile. The folder becomes a Docker image asset for linux/arm64;
 * `cdk deploy` builds it there, so synthesis needs no Docker.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { GATEWAY_DOCKERFILE, GATEWAY_ENTRY } from '../names.js';
import { BUNDLING, ZSTD_WASM } from './defaults.js';
import { resolveEntry } from './project-root.js';

/** The bundle's file name in the image (the Dockerfile copies it by this name). */
export const GATEWAY_BUNDLE = 'gateway.mjs';

/** esbuild's options for the gateway: those NodejsFunction derives from BUNDLING for the functions. */
export function gatewayBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target ?? 'node20',
    minify: BUNDLING.minify ?? false,
    sourcemap: BUNDLING.sourceMap ?? false,
    mainFields: [...(BUNDLING.mainFields ?? [])],
    external: [...(BUNDLING.externalModules ?? [])],
    ...(BUNDLING.banner !== undefined ? { banner: { js: BUNDLING.banner } } : {}),
    logLevel: 'error',
  };
}

/** Writes the image's folder under `outDir` and returns it. */
export function stageGatewayImage(projectRoot: string, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  // Synchronous, as construction is: NodejsFunction runs its local esbuild the same way.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  esbuild.buildSync(gatewayBuildOptions(resolveEntry(projectRoot, GATEWAY_ENTRY, 'the Kafka gateway'), join(outDir, GATEWAY_BUNDLE)));
  copyFileSync(ZSTD_WASM, join(outDir, 'zstd.wasm'));
  copyFileSync(join(projectRoot, GATEWAY_DOCKERFILE), join(outDir, 'Dockerfile'));
  return outDir;
}
