/**
 * Named local models: official Qwen3 GGUF files on Hugging Face, pinned to a repository commit, with
 * their size and sha256. `local:<name>` downloads one into the user cache on first use and verifies it.
 * This module has no native dependency, so the CLI can name the default without loading llama.cpp.
 */

export interface CatalogModel {
  /** Hugging Face repository (`org/name`). */
  repo: string;
  /** Repository commit the file is pinned to. */
  revision: string;
  file: string;
  sha256: string;
  size: number;
  description: string;
}

export const LOCAL_MODELS: Readonly<Record<string, CatalogModel>> = {
  "qwen3-0.6b": {
    repo: "Qwen/Qwen3-0.6B-GGUF",
    revision: "23749fefcc72300e3a2ad315e1317431b06b590a",
    file: "Qwen3-0.6B-Q8_0.gguf",
    sha256: "9465e63a22add5354d9bb4b99e90117043c7124007664907259bd16d043bb031",
    size: 639_446_688,
    description: "Qwen3-0.6B, Q8_0 (640 MB): the default agent and simulated user; runs on any laptop CPU",
  },
  "qwen3-1.7b": {
    repo: "Qwen/Qwen3-1.7B-GGUF",
    revision: "90862c4b9d2787eaed51d12237eafdfe7c5f6077",
    file: "Qwen3-1.7B-Q8_0.gguf",
    sha256: "061b54daade076b5d3362dac252678d17da8c68f07560be70818cace6590cb1a",
    size: 1_834_426_016,
    description: "Qwen3-1.7B, Q8_0 (1.8 GB): a steadier simulated user, about 3× slower",
  },
  "qwen3-4b": {
    repo: "Qwen/Qwen3-4B-GGUF",
    revision: "bc640142c66e1fdd12af0bd68f40445458f3869b",
    file: "Qwen3-4B-Q4_K_M.gguf",
    sha256: "7485fe6f11af29433bc51cab58009521f205840f5b4ae3a32fa7f92e8534fdf5",
    size: 2_497_280_256,
    description: "Qwen3-4B, Q4_K_M (2.5 GB): the paper's smaller agent size; wants a GPU or patience",
  },
};

/** The model behind `--agent local` and the simulated user when no endpoint is configured. */
export const DEFAULT_LOCAL_MODEL = "local:qwen3-0.6b";

/** `local` alone means the default local model; every other spec is returned unchanged. */
export function expandLocalAlias(spec: string): string {
  return spec.trim() === "local" ? DEFAULT_LOCAL_MODEL : spec;
}
