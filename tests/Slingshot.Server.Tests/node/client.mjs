// Drives a Slingshot server with the official openai package and prints a JSON summary of what the SDK saw.
// Usage: SLINGSHOT_BASE_URL=http://127.0.0.1:8080/v1 SLINGSHOT_MODEL=stories node client.mjs
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: process.env.SLINGSHOT_BASE_URL,
  apiKey: process.env.SLINGSHOT_API_KEY ?? 'unused',
  maxRetries: 0,
  timeout: 30_000,
});
const model = process.env.SLINGSHOT_MODEL;
const messages = [{ role: 'user', content: 'Once upon a time' }];
const summary = {};

const chat = await client.chat.completions.create({ model, messages, max_tokens: 8 });
summary.chat = {
  id: chat.id,
  object: chat.object,
  model: chat.model,
  choices: chat.choices.length,
  role: chat.choices[0].message.role,
  content: chat.choices[0].message.content,
  finishReason: chat.choices[0].finish_reason,
  usage: chat.usage,
};

const stream = await client.chat.completions.create({
  model, messages, max_tokens: 8, stream: true, stream_options: { include_usage: true },
});
const streamed = { chunks: 0, content: '', roles: [], finishReasons: [], usage: null };
for await (const chunk of stream) {
  streamed.chunks++;
  for (const choice of chunk.choices) {
    if (choice.delta.role) streamed.roles.push(choice.delta.role);
    if (choice.delta.content) streamed.content += choice.delta.content;
    if (choice.finish_reason) streamed.finishReasons.push(choice.finish_reason);
  }
  if (chunk.usage) streamed.usage = chunk.usage;
}
summary.stream = streamed;

const many = await client.chat.completions.create({ model, messages, max_tokens: 4, n: 3 });
summary.n = { choices: many.choices.map(c => c.index), usage: many.usage };

const withLogprobs = await client.chat.completions.create({ model, messages, max_tokens: 5, logprobs: true, top_logprobs: 2 });
const steps = withLogprobs.choices[0].logprobs.content;
summary.logprobs = {
  steps: steps.length,
  completionTokens: withLogprobs.usage.completion_tokens,
  allNegative: steps.every(s => s.logprob <= 0),
  topPerStep: [...new Set(steps.map(s => s.top_logprobs.length))],
  bytesMatch: steps.every(s => Buffer.from(s.bytes).toString('utf8') === s.token),
};

const completion = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 5 });
summary.completion = { object: completion.object, choices: completion.choices.length, text: completion.choices[0].text };

const models = await client.models.list();
summary.models = models.data.map(m => m.id);

async function failure(call) {
  try {
    await call();
    return { thrown: false };
  } catch (error) {
    return {
      thrown: true,
      name: error.constructor.name,
      isApiError: error instanceof OpenAI.APIError,
      notFound: error instanceof OpenAI.NotFoundError,
      badRequest: error instanceof OpenAI.BadRequestError,
      status: error.status,
      code: error.code ?? null,
      param: error.param ?? null,
      type: error.type ?? null,
      message: error.message,
    };
  }
}
summary.unknownModel = await failure(() => client.chat.completions.create({ model: 'no-such-model', messages }));
summary.badType = await failure(() => client.chat.completions.create({ model, messages, max_tokens: 'ten' }));

console.log(JSON.stringify(summary));
