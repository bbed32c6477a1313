export default {
  displayName: 'trainer',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/trainer',
};
