// `splatgrad mesh`: a closed triangle mesh through an oriented point cloud (a fit's result.ply):
// its implicit moving least squares surface, extracted by marching cubes (docs/toolbox.md §6).

import { ArgumentError } from '../../lib/errors.js';
import { loadPointCloud, saveMesh } from '../../geometry/loadMesh.js';
import { BANDWIDTH_FACTOR, meshFromPoints } from '../../geometry/surfaceFromPoints.js';
import { numberOption, rejectUnknown, stringOption } from '../args.js';
import type { Command } from './command.js';

export const mesh: Command = {
  summary: 'a closed mesh through an oriented point cloud (e.g. a fit’s result.ply), as .obj or .ply',
  help: [
    'splatgrad mesh CLOUD.ply --out MESH.obj [--resolution N] [--bandwidth H] [--json]',
    '',
    'CLOUD: a .ply or .obj point cloud with normals pointing out (a fit writes one as result.ply).',
    'The surface is the zero set of the points’ implicit moving least squares function, sampled',
    'on a grid of N points along the longest side of the cloud’s box (default 128) and extracted',
    `by marching cubes. H: the blend width in scene units (default ${BANDWIDTH_FACTOR} x the mean`,
    'distance between neighbouring points). Pieces under 1% of the area are dropped.',
    '--out: .obj or .ply (binary). --json prints a summary.',
  ].join('\n'),
  async run(args) {
    rejectUnknown(args, ['out', 'resolution', 'bandwidth', 'json']);
    if (args.positionals.length !== 1) throw new ArgumentError(`mesh: pass one point-cloud file, got ${args.positionals.length ? args.positionals.join(', ') : 'none'}.`);
    const input = args.positionals[0];
    const out = stringOption(args, 'out');
    if (!out) throw new ArgumentError('--out MESH.obj is required: where the mesh is written (.obj or .ply).');
    const resolution = Math.round(numberOption(args, 'resolution', 128, 8, 1024));
    const bandwidth = args.options.has('bandwidth') ? numberOption(args, 'bandwidth', 0, 1e-12) : undefined;
    const t0 = performance.now();
    const cloud = loadPointCloud(input);
    if (!cloud.normals) throw new ArgumentError(`mesh: '${input}' has no normals; the surface needs oriented points (nx ny nz per vertex), as a fit's result.ply has.`);
    const r = meshFromPoints({ positions: cloud.positions, normals: cloud.normals }, { resolution, bandwidth });
    if (r.mesh.faces.length === 0) throw new ArgumentError(`mesh: no surface came out of '${input}'; check that the normals point out of the shape.`);
    saveMesh(out, r.mesh);
    const summary = {
      input,
      out,
      points: cloud.positions.length / 3,
      vertices: r.mesh.positions.length / 3,
      faces: r.mesh.faces.length / 3,
      grid: r.resolution,
      bandwidth: +r.bandwidth.toPrecision(4),
      spacing: +r.spacing.toPrecision(4),
      droppedComponents: r.droppedComponents,
      milliseconds: +(performance.now() - t0).toFixed(1),
    };
    if (args.options.has('json')) console.log(JSON.stringify(summary, null, 2));
    else console.log(`meshed ${summary.points} points into ${summary.faces} triangles (grid ${r.resolution.join(' x ')}, bandwidth ${summary.bandwidth}) in ${summary.milliseconds} ms; wrote ${out}`);
    return 0;
  },
};
