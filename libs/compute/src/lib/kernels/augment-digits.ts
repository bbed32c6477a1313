/**
 * Kernel name of the whole training augmentation as one op (inputs x [N, H, W, 1] and params
 * [N, 9 + 2 * grid²]; attr grid). The native backend registers a compiled one
 * (libs/compute/native/augment-digits.cc); elsewhere the data library runs the same arithmetic
 * as tfjs ops.
 */
export const AUGMENT_DIGITS = 'MnistMlopsAugmentDigits';
