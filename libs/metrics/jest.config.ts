export default {
  displayName: 'metrics',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/metrics',
};
