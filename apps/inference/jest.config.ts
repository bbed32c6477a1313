export default {
  displayName: 'inference',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/inference',
};
