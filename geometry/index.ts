// Cameras, lights, meshes, point clouds, sampling, neighbours, metrics and file formats.
export {
  Camera,
  DEFAULT_NEAR,
  DEFAULT_FOV_Y,
  focalFromFov,
  fovFromFocal,
  checkPoints,
  type CameraJSON,
  type LookAtOptions,
  type FromMatrixOptions,
  type IntrinsicsOptions,
  type PointArray,
  type Matrix4Like,
} from './camera.js';
export {
  type Light,
  type DirectionalLight,
  type PointLight,
  type AmbientLight,
  directionalLight,
  pointLight,
  ambientLight,
  defaultLights,
  validateLights,
  shadeLambert,
  DEFAULT_SUN_INTENSITY,
  DEFAULT_AMBIENT_INTENSITY,
} from './lights.js';
export { distanceToFill, distanceToFrame, fibonacciDirections, fibonacciViews, randomViews, gridViews, type ViewOptions } from './views.js';
export {
  parseCameraFile,
  formatCameraFile,
  readCameraFile,
  writeCameraFile,
  parseTransformsJson,
  formatTransformsJson,
  readTransformsJson,
  CAMERA_FILE_FORMAT,
  CAMERA_FILE_VERSION,
  type PosedView,
} from './cameraFile.js';
export type { Vec3 } from './vector3.js';
export { type Mesh, type PointCloud, vertexCount, validateMesh, boundingBox } from './mesh.js';
export type { Coordinates, KnnResult, RadiusResult, QueryOptions, NeighborIndex } from './neighborIndex.js';
export { buildNeighborIndex, knn, radiusNeighbors, type NeighborMethod, type NeighborIndexOptions } from './neighbors.js';
export { pointsOf, type PointsLike } from './points.js';
export { KdTreeIndex } from './kdTreeIndex.js';
export { GridIndex, type GridIndexOptions } from './gridIndex.js';
export { BruteForceIndex } from './bruteForceNeighbors.js';
export {
  chamferDistance,
  hausdorffDistance,
  normalConsistency,
  directedDistances,
  type MetricOptions,
  type ChamferResult,
  type HausdorffResult,
  type NormalConsistencyResult,
  type OrientedPoints,
  type DirectedDistances,
} from './metrics.js';
export { pointToMeshDistance, type PointToMeshResult } from './pointToMesh.js';
export { closestPointOnTriangle } from './closestPointOnTriangle.js';
export { type FloatImage, type ImageLike, asFloatImage, createImage, imageFromData, validateImage, assertSameSize } from './image.js';
export { encodePng, decodePng, readPng, writePng, type PngWriteOptions } from './png.js';
export { viridis, depthToColor, normalsToColor, type DepthColorOptions, type NormalColorOptions, type ColormapBackground } from './colormap.js';
export { contactSheet, type ContactSheetOptions } from './contactSheet.js';
export { rasterizeMesh, type RasterizeOptions, type RasterImages } from './rasterize.js';
export { parseObj, readObj, formatObj, writeObj } from './io/obj.js';
export { parsePly, readPly, formatPly, writePly, type PlyFormat, type PlyWriteOptions } from './io/ply.js';
export { icosphere } from './shapes/icosphere.js';
export { cube } from './shapes/cube.js';
export { torus } from './shapes/torus.js';
export { grid } from './shapes/grid.js';
export { teapot } from './shapes/teapot.js';
export { bunny, bunnyPath } from './shapes/bunny.js';
export { computeVertexNormals, flatShaded } from './shapes/vertexNormals.js';
export { fitUnitCube } from './shapes/fitUnitCube.js';
export { weldVertices, type WeldedMesh } from './shapes/weldVertices.js';
export { loadMesh, builtInShape, loadPointCloud, savePointCloud, saveMesh, BUILT_IN_SHAPES, MESH_FILE_EXTENSIONS, type BuiltInShape, type LoadMeshOptions } from './loadMesh.js';
export { samplePoints, type SampleOptions } from './sampling.js';
export { maskDistance } from './distanceTransform.js';
export { marchingCubes, type MarchingCubesOptions, type Field, type FieldFunction, type TensorField } from './marchingCubes.js';
export { meshFromPoints, windingNumber, dropSmallComponents, type OrientedCloud, type SurfaceFromPointsOptions, type SurfaceFromPointsResult } from './surfaceFromPoints.js';
export {
  fitGaussians,
  metaballsFromMixture,
  metaballsOfMesh,
  sampleMetaballs,
  metaballDensity,
  metaballMesh,
  precisionMatrix,
  type GaussianMixture,
  type FitGaussiansOptions,
  type FitGaussiansResult,
  type MetaballParameters,
  type MetaballsOfMeshOptions,
  type MetaballMeshOptions,
} from './gaussianMixture.js';
export { silhouetteBounds, type SilhouetteBounds, type MaskedView } from './silhouetteBounds.js';
export { visualHull, signedMaskDistance, type HullView, type VisualHull, type VisualHullOptions } from './visualHull.js';
export { maskCrossEntropy, CROSS_ENTROPY_CLIP } from './silhouetteMetrics.js';
