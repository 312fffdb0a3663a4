// Shapes a user might throw at a reconstruction method, made here so any fit can be measured on
// them (`splatgrad eval`): knotted and coiled tubes, separate interlocked parts, a deep concavity,
// sharp-edged frames and plates with holes (genus 2 and 3), thin plates on sticks. Each is fitted
// to the unit cube like the other built-ins.

import type { Mesh } from '../mesh.js';
import type { Vec3 } from '../vector3.js';
import { cellSolid } from './cellSolid.js';
import { unitShapeMesh } from './fitUnitCube.js';
import { lathe } from './lathe.js';
import { MeshBuilder } from './meshBuilder.js';
import { sweepTube } from './sweepTube.js';
import { torus } from './torus.js';

const TAU = 2 * Math.PI;

/** Re-fit a generated mesh to the unit cube, keeping its sharp-edged vertex layout. */
const unit = (m: Mesh): Mesh => unitShapeMesh(m.positions, m.faces);

/** A thin tube tied in a trefoil knot (genus 1, knotted). */
export function trefoil(): Mesh {
  const curve = (t: number): Vec3 => [Math.sin(TAU * t) + 2 * Math.sin(2 * TAU * t), Math.cos(TAU * t) - 2 * Math.cos(2 * TAU * t), -Math.sin(3 * TAU * t)];
  return unit(sweepTube(curve, { radius: 0.32, samples: 240, sides: 16, closed: true }));
}

/** A tube coiled four times round a helix, its ends capped. */
export function coil(): Mesh {
  const turns = 4;
  const curve = (t: number): Vec3 => [Math.cos(TAU * turns * t), 2.2 * t - 1.1, Math.sin(TAU * turns * t)];
  return unit(sweepTube(curve, { radius: 0.16, samples: 320, sides: 14 }));
}

/** Two interlocking tori: two separate parts. */
export function rings(): Mesh {
  const a = torus(1, 0.22, 48, 16),
    b = torus(1, 0.22, 48, 16);
  // torus() lies in the xz-plane; turn b into the xy-plane and shift it through a's hole
  const m = new MeshBuilder();
  m.append(a);
  const moved = new Float64Array(b.positions.length);
  for (let i = 0; i < moved.length; i += 3) {
    moved[i] = b.positions[i] + 0.39; // torus() has outer diameter 1: the ring's centre line is at 0.39
    moved[i + 1] = -b.positions[i + 2];
    moved[i + 2] = b.positions[i + 1];
  }
  m.append({ positions: moved, faces: b.faces });
  return unit(m.build());
}

/** A cup: a deep concavity with a thin wall and a sharp rim. */
export function cup(): Mesh {
  return unit(
    lathe([
      [0, 0],
      [0.42, 0],
      [0.5, 1],
      [0.45, 1],
      [0.38, 0.1],
      [0, 0.1],
    ]),
  );
}

/** An arrow: a thin cylinder with a cone on top (sharp rims). */
export function arrow(): Mesh {
  return unit(
    lathe([
      [0, 0],
      [0.08, 0],
      [0.08, 1],
      [0.24, 1],
      [0, 1.5],
    ]),
  );
}

/** Two balls joined by a thin bar: necks of negative curvature. */
export function dumbbell(): Mesh {
  const profile: [number, number][] = [[0, -1]];
  const ball = (y0: number, from: number, to: number) => {
    for (let i = 1; i <= 16; i++) {
      const a = from + ((to - from) * i) / 16;
      profile.push([Math.max(0, 0.4 * Math.sin(a)), y0 - 0.4 * Math.cos(a)]);
    }
  };
  ball(-0.6, 0, Math.PI - 0.25); // the lower ball, up to where the bar leaves it
  profile.push([0.1, -0.2], [0.1, 0.2]);
  ball(0.6, 0.25, Math.PI);
  profile[profile.length - 1][0] = 0;
  return unit(lathe(profile, 40));
}

/** The edges of a cube as square bars (genus 5, every edge sharp). */
export function frame(): Mesh {
  const w = 0.12,
    planes = [0, w, 1 - w, 1];
  const extreme = (i: number) => i !== 1;
  return unit(cellSolid(planes, planes, planes, (a, b, c) => Number(extreme(a)) + Number(extreme(b)) + Number(extreme(c)) >= 2));
}

/** A thin table top on four thin legs: plates and sticks. */
export function table(): Mesh {
  const xs = [0, 0.05, 0.95, 1];
  return unit(cellSolid(xs, [0, 0.62, 0.66], xs, (a, b, c) => b === 1 || (a !== 1 && c !== 1)));
}

/** A flat plate with `holes` square holes in a row (genus = holes). */
export function plate(holes: number): Mesh {
  const xs = [0];
  for (let h = 0; h < holes; h++) xs.push(xs[xs.length - 1] + 0.16, xs[xs.length - 1] + 0.46);
  xs.push(xs[xs.length - 1] + 0.16);
  return unit(cellSolid(xs, [0, 0.14], [0, 0.16, 0.46, 0.62], (a, _b, c) => !(a % 2 === 1 && c === 1)));
}

/** The generated shapes by the name loadMesh and the CLI take. */
export const SUITE_SHAPE_NAMES = ['trefoil', 'coil', 'rings', 'cup', 'arrow', 'dumbbell', 'frame', 'table', 'plate2', 'plate3'] as const;
export type SuiteShapeName = (typeof SUITE_SHAPE_NAMES)[number];

export function suiteShape(name: SuiteShapeName): Mesh {
  const make: Record<SuiteShapeName, () => Mesh> = { trefoil, coil, rings, cup, arrow, dumbbell, frame, table, plate2: () => plate(2), plate3: () => plate(3) };
  return make[name]();
}
