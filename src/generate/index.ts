/**
 * corsproof/generate: one policy file becomes the CORS configuration of a real server, which then
 * answers exactly as the policy decides, or more strictly with a warning for each difference.
 */
export {
  DEFAULT_FIX_TARGETS,
  FixTargetError,
  parseFixTargets,
  policyDocumentFor,
  snippetsFor,
  withFixSnippets,
} from './fix-snippets.js';
export {
  GALXE_POLICY,
  isPresetName,
  PRESET_NAMES,
  PresetError,
  type PresetName,
  presetDocument,
} from './presets.js';
export { describeTargets, findTarget, generate, TARGETS } from './registry.js';
export { POLICY_FILE_SCHEMA } from './schema.js';
export {
  type GeneratedFile,
  GenerateError,
  type GenerateResult,
  type GenerateWarning,
  type StandaloneOptions,
  type Target,
  type TargetName,
} from './target.js';
