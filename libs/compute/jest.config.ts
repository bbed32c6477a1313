export default {
  displayName: 'compute',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/compute',
};
