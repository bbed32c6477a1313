export {
  encodeIdx,
  IdxFormatError,
  parseIdx,
  type IdxArray,
  type IdxDataType,
} from './lib/idx/idx-reader';
export {
  DatasetError,
  loadMnist,
  MNIST_FILES,
  NUM_CLASSES,
  type DatasetOrigin,
  type DatasetSource,
  type LabeledImages,
  type LoadOptions,
  type MnistDataset,
  type MnistFileName,
} from './lib/mnist/mnist-dataset';
export { EmbeddedMnistSource } from './lib/sources/embedded-source';
export { StoreDatasetSource } from './lib/sources/store-source';
export { resolveDatasetSource } from './lib/sources/resolve-source';
export {
  seededPermutation,
  selectImages,
  splitValidation,
  type TrainValidationSplit,
} from './lib/training/split';
export { pixelsToInput, toTensors } from './lib/training/preprocess';
export { batchesPerEpoch, shuffledBatches, type Batch } from './lib/training/batches';
export {
  augmentationIsOff,
  augmentationParams,
  augmentBatch,
  ELASTIC_GRID,
  NO_AUGMENTATION,
  type AugmentSettings,
} from './lib/training/augment';
export { withFlaggedOnes } from './lib/training/flagged-ones';
export {
  MNIST_BOX,
  MNIST_SIZE,
  NoDigitFoundError,
  type Box,
  type PreparedDigit,
  type RawImage,
} from './lib/images/digit-image';
export { ANALYSIS_SIDE, prepareDigit } from './lib/images/prepare-digit';
export { otsuThreshold } from './lib/images/threshold';
export {
  FEATURE_NAMES,
  featureBin,
  featureValue,
  pictureStatistics,
  PROFILE_BINS,
  profileImages,
  type FeatureName,
  type FeatureProfile,
  type InputProfile,
  type PictureStatistics,
} from './lib/monitoring/input-profile';
export { describeDataset, type DatasetDescription } from './lib/mnist/dataset-description';
