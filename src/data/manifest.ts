/**
 * The public source files userrl reads, pinned to an upstream commit and checksummed.
 * Keys are paths relative to the data root (the layout of `USERRL_DATA_DIR`).
 * Columns: key, GitHub repository, path in that repository, size in bytes, sha256.
 */
export const SOURCES: Record<string, string> = {
  "SalesforceAIResearch/UserRL": "cf55a30bc3795ca5b8b4a85dc4fec3bd48c2b233",
  "sierra-research/tau-bench": "59a200c6d575d595120f1cb70fea53cef0632f6b",
};

export interface ManifestEntry {
  key: string;
  repo: string;
  upstreamPath: string;
  size: number;
  sha256: string;
}

const ROWS: [string, string, string, number, string][] = [
  ["tau-bench/LICENSE", "sierra-research/tau-bench", "LICENSE", 1063, "243d23d45b80122b5ac575586ccef352fdc9c45e6d7d2605449aca8a17478b42"],
  ["tau-bench/airline/flights.json", "sierra-research/tau-bench", "tau_bench/envs/airline/data/flights.json", 2114218, "444d7565c68434a3e3fb72efd717f9f9cd5c56dce227f6f56e078f1cb0ed233a"],
  ["tau-bench/airline/reservations.json", "sierra-research/tau-bench", "tau_bench/envs/airline/data/reservations.json", 2325594, "1cf0bbc58ad984be9de7c24dba6dd27393f94cdbd482d8524f6a54db1f561a8c"],
  ["tau-bench/airline/users.json", "sierra-research/tau-bench", "tau_bench/envs/airline/data/users.json", 595947, "bd264e2a31e0fa35cdfef8987e70a0dd3776828b582fe90e7a44823a12eb4cea"],
  ["tau-bench/airline/wiki.md", "sierra-research/tau-bench", "tau_bench/envs/airline/wiki.md", 6155, "56c335801c16e26b54f600f9db99eb04d31db477e86eb160341d5c66b796c5c8"],
  ["tau-bench/retail/orders.json", "sierra-research/tau-bench", "tau_bench/envs/retail/data/orders.json", 1810945, "2598a12586d28f2d6bd16bc86f4c800029b6af18e0abb5c475ef5c869c11ced1"],
  ["tau-bench/retail/products.json", "sierra-research/tau-bench", "tau_bench/envs/retail/data/products.json", 172258, "a9eabcc1a9742c5f5288c2779acce52b9308423383ed24706bbaf0889f762a0f"],
  ["tau-bench/retail/users.json", "sierra-research/tau-bench", "tau_bench/envs/retail/data/users.json", 322932, "6f4fd104cc5e80b92166c4035315c31532c6cea52a90dcdf18425ee7f87c2b82"],
  ["tau-bench/retail/wiki.md", "sierra-research/tau-bench", "tau_bench/envs/retail/wiki.md", 5718, "d539fd2a46a8b8dd2e934ff9ed92f43e9f6b56bc7a718db8d2803ba8ad8f6bf7"],
  ["userrl/LICENSE.txt", "SalesforceAIResearch/UserRL", "LICENSE.txt", 11444, "a32115015c1eea6186e519fa03ab3b77844170a75cf57ddbeb57f15dae44729a"],
  ["userrl/gyms/function_functions.json", "SalesforceAIResearch/UserRL", "gyms/FunctionGym/functiongym/data/functions.json", 108144, "19a0c82902e2e6c54f0c63387017eb72a307b821fc46987468f1911dc5c9c3fb"],
  ["userrl/gyms/intention_test.json", "SalesforceAIResearch/UserRL", "gyms/IntentionGym/intentiongym/data/all_intentions_test.json", 166010, "6ebd2336a96d9b5a6a096eef17f899efc6068d2af959ef0b30a4adc6a1620725"],
  ["userrl/gyms/intention_train.json", "SalesforceAIResearch/UserRL", "gyms/IntentionGym/intentiongym/data/all_intentions_train.json", 1760262, "0091980a2e626f48a449ecfc7faf142d7d05a208628a5817c3106de23cb84fee"],
  ["userrl/gyms/search_questions.json", "SalesforceAIResearch/UserRL", "gyms/SearchGym/searchgym/data/questions.json", 20785, "76153a335e8482ac257b8ce83cf2db030ce2b06351cc86c1a1df9d05cb2146c2"],
  ["userrl/gyms/tau_test.json", "SalesforceAIResearch/UserRL", "gyms/TauGym/taugym/data/tau_test.json", 397588, "b0ec857f193736dc55088b481c5d43407faccee663524ec05d519500d912683e"],
  ["userrl/gyms/tau_train.json", "SalesforceAIResearch/UserRL", "gyms/TauGym/taugym/data/tau_train.json", 746302, "08538540d14d0bde0e96c9d2747ecb66f58631f28098c25f0734b41cf0fed12d"],
  ["userrl/gyms/telepathy_entities.json", "SalesforceAIResearch/UserRL", "gyms/TelepathyGym/telepathygym/data/all_entities_refined.json", 179312, "6257ee9a029a1d432930199d3428951993dd84aaa79e5a08dc8b842a4b4d3349"],
  ["userrl/gyms/turtle_stories.json", "SalesforceAIResearch/UserRL", "gyms/TurtleGym/turtlegym/data/all_stories_refined.json", 968092, "cd616b9a0ab9fd6ac5d1148857682362812732b227e001a7e119866d0209e46b"],
  ["userrl/parquet/alltest_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/alltest_multiturn/test.parquet", 255072, "bfe1ef4c370ce6ed52f79cc498be1c1dc724ab0afd74f6577fd67d70a6e8f50d"],
  ["userrl/parquet/alltrain_multiturn/train.parquet", "SalesforceAIResearch/UserRL", "data/alltrain_multiturn/train.parquet", 1287686, "6676f7a31777a335018f9634ea316ddba30cb34ea3f63e24f9f21f055d952e5a"],
  ["userrl/parquet/bamboogle_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/bamboogle_multiturn/test.parquet", 21273, "4c4d519166ff849786424c3fdb730bece7ba062f56905aa2f49d95eb9442dee0"],
  ["userrl/parquet/function_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/function_multiturn/test.parquet", 14631, "1d808502474f11f3664b83628d80a4c892df13afa7bfe5a507bafe01a6c50a27"],
  ["userrl/parquet/function_multiturn/train.parquet", "SalesforceAIResearch/UserRL", "data/function_multiturn/train.parquet", 21737, "53b27bcacff165c27dc670088ed7e409d66e0e4270228c8f486d3ec8c81dd1bc"],
  ["userrl/parquet/intention_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/intention_multiturn/test.parquet", 28377, "e27c380bccad8835c8ac5b546a2a9473d7432bbe5f968b209aca13df82a204f7"],
  ["userrl/parquet/intention_multiturn/train.parquet", "SalesforceAIResearch/UserRL", "data/intention_multiturn/train.parquet", 135331, "06e998f8147d5ac24b656783d3020f8021393c05b47e86cbb409f178ab8532b9"],
  ["userrl/parquet/persuasion_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/persuasion_multiturn/test.parquet", 112442, "19ee106c3e6a1b4eb1668f482aa53770e9b8a6e28f4016976671a89d5fdbd3da"],
  ["userrl/parquet/persuasion_multiturn/train.parquet", "SalesforceAIResearch/UserRL", "data/persuasion_multiturn/train.parquet", 675160, "4ae7b15746a1d3d75c902c7d8f6fcc813da2f39b1149ff6c2040673b3c30d27f"],
  ["userrl/parquet/tau_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/tau_multiturn/test.parquet", 25979, "43692ba2e33f051f8925626ab8d5b32cfffe753e2342f10e91fa646b668348b3"],
  ["userrl/parquet/tau_multiturn/train.parquet", "SalesforceAIResearch/UserRL", "data/tau_multiturn/train.parquet", 39383, "5e3b47a9c5cf05c9c2b3473fd492b093f066a7602165eca17fcfaa623c9f0b5e"],
  ["userrl/parquet/telepathy_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/telepathy_multiturn/test.parquet", 20875, "4f2ffc13b52ed82e7b2f69d8f958ed444ba91dd7247bde756c9b507c26fb6f5e"],
  ["userrl/parquet/telepathy_multiturn/train.parquet", "SalesforceAIResearch/UserRL", "data/telepathy_multiturn/train.parquet", 69734, "5dea2f88ca5c012af8e130ba365fd558af07904bfa38086b099ed193c71b1d42"],
  ["userrl/parquet/travel2222_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel2222_multiturn_onechoice/test.parquet", 17627, "3cd7f4f7565f802709279f0dd906329d1cb519749a3b48b711a7c851f7b1e59f"],
  ["userrl/parquet/travel2222_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel2222_multiturn_onechoice/train.parquet", 26924, "962d863279685658b8be4ec0feece577b7cfa595204103313c4b476ae2a2c505"],
  ["userrl/parquet/travel22_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel22_multiturn_onechoice/test.parquet", 23074, "145ec62f2754c33b39be743f853206aa3fc8ddb787c4e235959367cee3e8a135"],
  ["userrl/parquet/travel22_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel22_multiturn_onechoice/train.parquet", 59522, "d9e7dcc050e9e1f5d3c2d75faa4b3e3864d32ff16b68f31d0bbe33e3851fb863"],
  ["userrl/parquet/travel233_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel233_multiturn_onechoice/test.parquet", 22181, "f8bcfbe6ac58ade82c61b1708cb6f83896f2c6f0ecf1aa936495e3b32462ecaf"],
  ["userrl/parquet/travel233_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel233_multiturn_onechoice/train.parquet", 51464, "5b548c5325bea74609f01e613cf8c8478933d52170c14bd1f246e918bef42429"],
  ["userrl/parquet/travel333_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel333_multiturn_onechoice/test.parquet", 20904, "da9c11471bb84889403ace53dd57dc3e4d4ad66d1002e2f13f175b6101b22ead"],
  ["userrl/parquet/travel333_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel333_multiturn_onechoice/train.parquet", 46779, "3c40e163081ff24cae343f715f55a582c158af854ed9c301e1281bb704de32c0"],
  ["userrl/parquet/travel334_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel334_multiturn_onechoice/test.parquet", 20541, "1c32fa46ad1713c44ef88bffb83065c749e7eb59ae3d005cf626c0d540e2fc01"],
  ["userrl/parquet/travel334_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel334_multiturn_onechoice/train.parquet", 43591, "ab9833e9d5f303930363360a1547959a2e08f7ce7b6b7a97a2709713cf466ae1"],
  ["userrl/parquet/travel33_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel33_multiturn_onechoice/test.parquet", 22411, "7a9c6713bb6c498dcfb93e66b6f322ec10b6d5d6b62a9cc3d1a98840d103df9c"],
  ["userrl/parquet/travel33_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel33_multiturn_onechoice/train.parquet", 54903, "8c61448fa773482339ce90b555260c15c0e5e00b08023c8d5b960ccfe7a1527b"],
  ["userrl/parquet/travel444_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel444_multiturn_onechoice/test.parquet", 19586, "c9c50d18bc1ec6ce6ccbc17c0039bd5b68fdcf3867a9e7c5f952fe69f6843565"],
  ["userrl/parquet/travel444_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel444_multiturn_onechoice/train.parquet", 37235, "6999bf9904852f82dbd9ddba772893e2ae4360cb14e419978844029a2ac07892"],
  ["userrl/parquet/travel44_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel44_multiturn_onechoice/test.parquet", 20773, "35884818ef3dc599c85ed47256191c66d908ef9c40ca2e9592e38ef1cb75db9d"],
  ["userrl/parquet/travel44_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel44_multiturn_onechoice/train.parquet", 45872, "707384cf09692900242b135aa83d61530b435cb8c7ea7d4806aeb4d8f79adb57"],
  ["userrl/parquet/travel_multiturn_onechoice/test.parquet", "SalesforceAIResearch/UserRL", "data/travel_multiturn_onechoice/test.parquet", 59516, "1ef12a1183a84b4df8c053d4066b3f60729abe877c1fde56c3b63477e4e7d477"],
  ["userrl/parquet/travel_multiturn_onechoice/train.parquet", "SalesforceAIResearch/UserRL", "data/travel_multiturn_onechoice/train.parquet", 223637, "25ea9a8784b788fe90921a39992d65dab35f996f3f7eec690ff2d9c69aba0e38"],
  ["userrl/parquet/turtle_multiturn/test.parquet", "SalesforceAIResearch/UserRL", "data/turtle_multiturn/test.parquet", 77831, "261116ea2396a18d7a6c40b5ad2fdd408c30862e2988c70e190c677c5333baa6"],
  ["userrl/parquet/turtle_multiturn/train.parquet", "SalesforceAIResearch/UserRL", "data/turtle_multiturn/train.parquet", 443571, "7923a15fe0b8a964bfc6a9bd5d1d8a88ad23d84d6882149d22156eacadf975f8"],
];

export const MANIFEST: readonly ManifestEntry[] = ROWS.map(([key, repo, upstreamPath, size, sha256]) => ({
  key,
  repo,
  upstreamPath,
  size,
  sha256,
}));

const BY_KEY = new Map(MANIFEST.map((e) => [e.key, e]));

export function manifestEntry(key: string): ManifestEntry | undefined {
  return BY_KEY.get(key);
}

/** Download address of a manifest file at its pinned commit. */
export function sourceUrl(e: ManifestEntry): string {
  return `https://raw.githubusercontent.com/${e.repo}/${SOURCES[e.repo]}/${e.upstreamPath}`;
}
