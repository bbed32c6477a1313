export default {
  displayName: 'model',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/model',
};
