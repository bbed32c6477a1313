export default {
  displayName: 'delivery',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/delivery',
};
