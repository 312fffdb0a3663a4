// Cameras, lights, meshes, point clouds, sampling, neighbours, metrics and file formats.
export { Camera, DEFAULT_NEAR, DEFAULT_FOV_Y, focalFromFov, fovFromFocal, checkPoints, type CameraJSON, type LookAtOptions, type FromMatrixOptions, type IntrinsicsOptions, type PointArray, type Matrix4Like } from './camera.js';
export { type Light, type DirectionalLight, type PointLight, type AmbientLight, directionalLight, pointLight, ambientLight, defaultLights, validateLights, shadeLambert, DEFAULT_SUN_INTENSITY, DEFAULT_AMBIENT_INTENSITY } from './lights.js';
export { distanceToFill, fibonacciDirections, fibonacciViews, randomViews, gridViews, type ViewOptions } from './views.js';
export { parseCameraFile, formatCameraFile, readCameraFile, writeCameraFile, parseTransformsJson, formatTransformsJson, readTransformsJson, CAMERA_FILE_FORMAT, CAMERA_FILE_VERSION, type PosedView } from './cameraFile.js';
export { type Vec3 } from './vector3.js';
export { type Mesh, type PointCloud, vertexCount, validateMesh, boundingBox } from './mesh.js';
