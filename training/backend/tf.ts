// The one TensorFlow.js entry point for training code: every training module imports tf from here so that all of
// them share one engine, one kernel registry and one backend choice.
//
// '@tensorflow/tfjs' rather than '@tensorflow/tfjs-core' + '@tensorflow/tfjs-layers' on their own: in Node, the
// core package's bundle registers neither the gradient functions nor the chained tensor methods (`x.flatten()`)
// that tfjs-layers' recurrent layers call; the union package's bundle registers both. In Node it registers only
// the cpu backend (tfjs-backend-webgl registers itself in browsers only). @tensorflow/tfjs-node(-gpu) 4.22.0, when
// installed, requires this same package, so choosing it adds a backend to this engine rather than a second copy.
export * from '@tensorflow/tfjs';
