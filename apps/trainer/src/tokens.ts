/** Injection tokens of the trainer's own composition. Library tokens live in their libraries. */
export const TRAINING_CONFIG = Symbol('TrainingConfig');
/** Where progress bars and the summary go: a terminal, or a buffer in tests. */
export const OUTPUT = Symbol('Output');
