// Neural-network building blocks on the tape: modules with named parameters, linear layers, MLPs
// and the safetensors format for moving weights to and from PyTorch.
export { Module } from './module.js';
export { Linear, type LinearLayerOptions } from './linear.js';
export { MLP, type MlpOptions } from './mlp.js';
export { Sequential } from './sequential.js';
export { ActivationModule, ReLU, Tanh, Sigmoid, Softplus } from './activations.js';
export { INITS, type Init, initBound, initUniform } from './init.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  saveSafetensors,
  loadSafetensors,
  SAFETENSORS_DTYPE_SIZES,
  MAX_HEADER_BYTES,
  type SafetensorsEntry,
  type SafetensorsFile,
} from './safetensors.js';
