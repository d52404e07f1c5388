/**
 * The help texts of `lens`: one line of usage, a summary and the options of every command, and
 * the full text of `lens --help`.
 */
import { IMPORT_DETAILS, IMPORT_SUMMARY, IMPORT_USAGE } from './importArgs';

export const COMMANDS = [
  'inspect',
  'train',
  'eval',
  'explain',
  'compare',
  'interests',
  'import',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export const USAGE: Record<CommandName, string> = {
  import: IMPORT_USAGE,
  inspect:
    'lens inspect <interactions> [--items <file>] [--sample-users F [--sample-seed S]] [--json]',
  train:
    'lens train <interactions> [--items <file>] --model <id> [--epochs N] [--seed S] [--lr X] [--batch N] [--time-limit S] [--hyper k=v,...] [--sample-users F [--sample-seed S]] [--out <dir>] [--json]',
  eval: 'lens eval <interactions> [--items <file>] --model-dir <dir> [--allow-other-data] [--json]',
  interests:
    'lens interests <interactions> [--items <file>] [--model-dir <dir>] --user <id>|--all [--surface session|last-n] [--gap MIN] [--last-n N] [--half-life DAYS] [--window auto|day|week|month] [--no-forecast] [--json]',
  compare:
    'lens compare <interactions> [--items <file>] --model-dir <dir> --model-dir <dir> [...] [--cohort all|cold-users|heavy-users|head-items|tail-items|cold-items] [--explain-users N] [--resamples N] [--seed S] [--allow-other-data] [--json]',
  explain:
    'lens explain <interactions> [--items <file>] --model-dir <dir> --user <id> [--item <id>] [--method <name>|all] [--k N] [--target score|margin] [--removal close-up|in-place] [--lime-samples N] [--seed S] [--allow-other-data] [--json]',
};

const SUMMARY: Record<CommandName, string> = {
  import: IMPORT_SUMMARY,
  inspect: 'detect the columns of a behaviour file and count users, items and rejected rows',
  train: 'train a model on a temporal leave-last-out split; print its test metrics, save it',
  eval: 'evaluate a saved model on the test split of the same data',
  explain: 'explain why a saved model recommends an item to a user, per history item',
  compare: 'compare 2-4 saved models: metrics with CIs, paired tests, list overlap, explanations',
  interests:
    "a user's layered interests (surface, middle, deep) and their evolution, or everyone's",
};

const SAMPLE_DETAILS = [
  '  --sample-users F load a user-hash sample: every interaction of a share F of the users',
  '                   (0.05 or 5%), chosen by a hash of the user id while the file streams;',
  '                   for files above the 1 GiB (40 million rows) a load holds',
  '  --sample-seed S  seed of that hash (integer 0..4294967295, default 0): another seed',
  '                   keeps other users; the same file, share and seed keep the same ones',
];

const DETAILS: Record<CommandName, string> = {
  import: IMPORT_DETAILS,
  interests: [
    '  --user <id>         the user whose layers and evolution are shown',
    "  --all               the whole population's evolution instead",
    '  --model-dir <dir>   a saved model: the layered model adds its predicted layers; without',
    '                      item categories, categories are derived from its item embeddings',
    '  --surface MODE      session (the latest session, default) or last-n',
    '  --gap MIN           inactivity that ends a session, minutes (default 30)',
    '  --last-n N          events of the last-n surface (default 20)',
    "  --half-life DAYS    half-life of the deep layer's decay weights (default 60)",
    '  --window UNIT       auto (default), day, week or month',
    '  --no-forecast       skip training the evolution model (no next-window forecast)',
    '  --json              the layers as JSON',
    '',
  ].join('\n'),
  compare: [
    '  --model-dir <dir>   a saved model folder (model.json + weights.bin); give it 2 to 4 times',
    '  --cohort <name>     restrict every figure to one cohort of test users: all (default),',
    '                      cold-users / heavy-users (shortest / longest 20 % of histories),',
    '                      head-items / tail-items (test item in / outside the 20 % most',
    '                      interacted training items), cold-items (test item with <= 5)',
    '  --explain-users N   users sampled for the explanation agreement (default 50; 0 = skip)',
    '  --resamples N       bootstrap resamples of the intervals and paired tests (default 1000)',
    '  --seed S            seed of the bootstrap (default 42); the agreement sample uses 7',
    '  --allow-other-data  compare models trained on other data through their item-id mapping',
    '  --json              the comparison as JSON (the compare view exports the same format)',
    '',
  ].join('\n'),
  inspect: [
    '  <interactions>   delimited text (CSV, TSV, ...) or Parquet, told by its content',
    '  --items <file>   item metadata file (titles, categories) to join and report on',
    ...SAMPLE_DETAILS,
    '  --json           print JSON instead of tables',
    '',
  ].join('\n'),
  train: [
    '  --model <id>     model variant, e.g. pop, itemknn, gru, sasrec (required)',
    '  --epochs N       training epochs of a neural model (positive integer)',
    '  --seed S         seed of initialisation and sampling (integer 0..4294967295)',
    "  --lr X           Adam learning rate (0 < X <= 1; default: the model's tuned value)",
    "  --batch N        training windows per batch (default: the model's tuned value)",
    '  --time-limit S   seconds of training (validation included): no epoch starts that',
    '                   would end past it; the best epoch so far is kept',
    '  --hyper k=v,...  hyper-parameters, e.g. maxLen=50,dim=64,loss=softmax (itemknn:',
    '                   neighbours=N); names and ranges are checked against the model',
    ...SAMPLE_DETAILS,
    '  --out <dir>      save model.json and weights.bin in this folder',
    '  --items <file>   item metadata file (side information for models that use it)',
    '  --json           print JSON instead of tables',
    '',
  ].join('\n'),
  eval: [
    '  --model-dir <dir>   folder holding model.json and weights.bin (from train --out)',
    '  --items <file>      item metadata file, as given when training',
    '  --allow-other-data  evaluate a model trained on other data that shares at least half',
    '                      of the items, matched by item id (refused by default: the other',
    "                      data may contain this split's test interactions)",
    '  --json              print JSON instead of tables',
    '',
  ].join('\n'),
  explain: [
    '  --model-dir <dir>   folder holding model.json and weights.bin (from train --out)',
    '  --user <id>         the user whose whole history (every interaction in the file) is',
    '                      explained (required)',
    "  --item <id>         the item to explain (default: the user's top-1 recommendation)",
    '  --method <name>     exact, attention, neighbours, saliency, gradxinput, ig, occlusion,',
    '                      lime, shap, counterfactual or all (default: every method the model',
    '                      offers, then the counterfactual; counterfactual alone runs occlusion',
    '                      too, as the order of its search; neighbours: how alike each history',
    "                      item is to the item in the model's item space, not its influence)",
    '  --k N               K of "why in the top K": counterfactual, margin, POS@K (default 10)',
    '  --target <t>        score (default) or margin: the score minus that of the item at',
    '                      rank K+1',
    '  --removal <r>       close-up (default: the interaction did not happen, the rest closes',
    '                      up) or in-place (its slot is left empty, positions kept)',
    '  --lime-samples N    LIME samples per seed (10..20000, default 1000; 3 seeds)',
    '  --seed S            seed of LIME, SHAP sampling and the random faithfulness orders',
    '  --items <file>      item metadata file, as given when training (titles, categories)',
    '  --allow-other-data  explain a model trained on other data through its item-id mapping',
    '                      (gradients and attention are then unavailable)',
    '  --json              print the explanation report as JSON instead of tables',
    '',
  ].join('\n'),
};

/** The full usage text (`lens --help`), or one command's (`lens train --help`). */
export function usage(topic: CommandName | null = null): string {
  if (topic) {
    const summary = SUMMARY[topic].charAt(0).toUpperCase() + SUMMARY[topic].slice(1);
    return `Usage: ${USAGE[topic]}\n\n${summary}.\n${DETAILS[topic]}`;
  }
  const lines = COMMANDS.map((c) => `  ${c.padEnd(8)} ${SUMMARY[c]}`);
  return [
    'Usage: lens <command> <interactions> [options]    (npm run lens -- <command> ...)',
    '',
    'Commands:',
    ...lines,
    '',
    ...COMMANDS.map((c) => `  ${USAGE[c]}`),
    '',
    'JSON goes to stdout with --json (tables otherwise); progress goes to stderr.',
    'Exit codes: 0 ok, 1 data error (bad file, refused model), 2 usage error (explain: also an',
    'unknown user or item, a model of other data, a method the model cannot offer), 130 interrupted.',
    "Run 'lens <command> --help' for a command's options.",
    '',
  ].join('\n');
}
