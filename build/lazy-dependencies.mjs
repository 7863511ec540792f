// An esbuild plugin for the CLI bundle: dependencies of mailparser that only
// some mails need are evaluated on their first call, not when mailparser is
// loaded. Bundled CommonJS runs every require() of a module as it loads, so
// every mail complaint paid for encoding-japanese (conversion tables, for
// ISO-2022-JP) and html-to-text (an HTML parser, for a mail with no text
// part; our parse passes skipHtmlToText, so it is never called): 60 ms of a
// 0.6 s analyze of a mail, though most complaints are plain text in UTF-8 or
// ASCII.
//
// Each listed package is replaced, for the importers that name it, by a
// module exporting the named functions, each of which requires the real
// package on its first call. Only the functions listed exist: an importer
// that starts using another one gets undefined, which the bundle test's
// ISO-2022-JP complaint shows for encoding-japanese.

import { dirname, join, relative } from 'node:path';

/** Package -> the functions its importers call (mailparser's mail-parser.js, libmime's charset.js). */
export const LAZY_DEPENDENCIES = {
  'html-to-text': ['htmlToText'],
  'encoding-japanese': ['convert'],
};

const NAMESPACE = 'lazy-dependency';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** The module standing in for the package at `realPath` (its resolved entry). */
export function lazyModule(realPath, functions) {
  const calls = functions.map((f) => `  ${f}: (...args) => load().${f}(...args),`).join('\n');
  return `let real;\nconst load = () => (real ??= require(${JSON.stringify(realPath)}));\nmodule.exports = {\n${calls}\n};\n`;
}

export function lazyDependencies(table = LAZY_DEPENDENCIES) {
  const filter = new RegExp(`^(${Object.keys(table).map(escape).join('|')})$`);
  return {
    name: 'lazy-dependencies',
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData?.real) return undefined;
        const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { real: true } });
        if (real.errors.length > 0) return { errors: real.errors };
        // One stand-in per resolved copy of the package, so two versions in node_modules stay two;
        // named relative to the working folder, as the bundle names its other modules.
        const root = build.initialOptions.absWorkingDir ?? process.cwd();
        return { path: relative(root, real.path), namespace: NAMESPACE, pluginData: { functions: table[args.path], root } };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const realPath = join(args.pluginData.root, args.path);
        return { contents: lazyModule(realPath, args.pluginData.functions), resolveDir: dirname(realPath), loader: 'js' };
      });
    },
  };
}
