export default {
  displayName: 'data',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/data',
};
