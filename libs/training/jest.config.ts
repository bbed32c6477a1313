export default {
  displayName: 'training',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/training',
};
