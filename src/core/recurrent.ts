/**
 * Settings of the temporal (RNN) stage that training and the app's streaming GRU must share: a GRU trained with
 * one gate activation and run with another gives wrong outputs without any error.
 */

/**
 * Gate activation of the GRUs. 'sigmoid', not tfjs's default 'hardSigmoid': the logistic function is the same
 * everywhere, whereas "hard sigmoid" is clip(0.2x + 0.5) in tfjs and Keras 2 but clip(x/6 + 0.5) in Keras 3 and
 * PyTorch, and streaming code written by hand would have to match one of them exactly.
 */
export const RECURRENT_ACTIVATION = 'sigmoid';
export type RecurrentActivation = typeof RECURRENT_ACTIVATION;
