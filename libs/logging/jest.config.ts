export default {
  displayName: 'logging',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/logging',
};
