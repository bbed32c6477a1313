export default {
  displayName: 'tracking',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/tracking',
};
