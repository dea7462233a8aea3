import type {
  ChatResponse,
  ChatStreamChunk,
  ExtraFields,
  FinishReason,
  ReasoningDetail,
  ToolCall,
  Usage,
} from '@bifrost/schemas';

interface ChoiceState {
  content: string;
  reasoning: string;
  refusal: string;
  toolCalls: ToolCall[];
  /** Reasoning blocks by their index: text fragments are joined, a later signature is kept. */
  reasoningDetails: ReasoningDetail[];
  finishReason: FinishReason | null;
}

/**
 * Folds streamed chunks back into one chat completion, so postHooks (logging, metrics) see a stream the way
 * they see any other answer. Tool-call fragments are joined by their index.
 */
export class ChatStreamAccumulator {
  private id = '';
  private created = 0;
  private model = '';
  private usage: Usage | undefined;
  private systemFingerprint: string | null | undefined;
  private readonly choices = new Map<number, ChoiceState>();
  chunkCount = 0;

  add(chunk: ChatStreamChunk): void {
    this.chunkCount++;
    if (!this.id) {
      this.id = chunk.id;
      this.created = chunk.created;
      this.model = chunk.model;
    }
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.system_fingerprint !== undefined) this.systemFingerprint = chunk.system_fingerprint;
    for (const choice of chunk.choices) {
      let state = this.choices.get(choice.index);
      if (!state) {
        state = {
          content: '',
          reasoning: '',
          refusal: '',
          toolCalls: [],
          reasoningDetails: [],
          finishReason: null,
        };
        this.choices.set(choice.index, state);
      }
      const delta = choice.delta;
      if (delta.content) state.content += delta.content;
      if (delta.reasoning) state.reasoning += delta.reasoning;
      if (delta.refusal) state.refusal += delta.refusal;
      if (delta.reasoning_details) addReasoningDetails(state.reasoningDetails, delta.reasoning_details);
      if (delta.tool_calls) {
        for (const fragment of delta.tool_calls) {
          let call = state.toolCalls[fragment.index];
          if (!call) {
            call = { id: fragment.id ?? '', type: 'function', function: { name: '', arguments: '' } };
            state.toolCalls[fragment.index] = call;
          }
          if (fragment.id) call.id = fragment.id;
          if (fragment.function?.name) call.function.name += fragment.function.name;
          if (fragment.function?.arguments) call.function.arguments += fragment.function.arguments;
          if (fragment.extra_content) call.extra_content = fragment.extra_content;
        }
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  toResponse(extraFields: ExtraFields): ChatResponse {
    const indices = [...this.choices.keys()].sort((left, right) => left - right);
    const response: ChatResponse = {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: indices.map((index) => {
        const state = this.choices.get(index)!;
        const toolCalls = state.toolCalls.filter(Boolean);
        return {
          index,
          message: {
            role: 'assistant' as const,
            content: state.content === '' && toolCalls.length > 0 ? null : state.content,
            ...(state.refusal ? { refusal: state.refusal } : {}),
            ...(state.reasoning ? { reasoning: state.reasoning } : {}),
            ...(state.reasoningDetails.length > 0
              ? { reasoning_details: state.reasoningDetails.filter(Boolean) }
              : {}),
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: state.finishReason,
        };
      }),
      extra_fields: extraFields,
    };
    if (this.usage) response.usage = this.usage;
    if (this.systemFingerprint !== undefined) response.system_fingerprint = this.systemFingerprint;
    return response;
  }
}

function addReasoningDetails(blocks: ReasoningDetail[], fragments: readonly ReasoningDetail[]): void {
  for (const fragment of fragments) {
    const index = fragment.index ?? blocks.length;
    const block = blocks[index];
    if (block === undefined || block.type !== fragment.type) {
      blocks[index] = { ...fragment, index };
    } else if (block.type === 'reasoning.text' && fragment.type === 'reasoning.text') {
      block.text += fragment.text;
      if (fragment.signature) block.signature = fragment.signature;
    } else if (block.type === 'reasoning.encrypted' && fragment.type === 'reasoning.encrypted') {
      block.data += fragment.data;
    }
  }
}
