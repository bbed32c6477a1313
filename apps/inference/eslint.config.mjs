import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      // The service reads models from the registry and their files; it never writes to MLflow.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@mnist-mlops/tracking',
              importNames: [
                'TRACKING',
                'registerTracking',
                'createTracking',
                'startRun',
                'withRun',
                'ActiveRun',
                'TrackingSpool',
                'FileTrackingStore',
                'RestTrackingStore',
              ],
              message:
                'the inference service depends on the model registry and on reading artifacts only (MODEL_REGISTRY, ARTIFACT_REPOSITORIES)',
            },
          ],
        },
      ],
    },
  },
];
