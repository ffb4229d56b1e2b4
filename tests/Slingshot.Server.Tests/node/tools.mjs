// Tool calling through the official openai package: for each model, a required call, the tool's result sent back as
// OpenAI sends it, and the answer; streamed and not; a named tool_choice; and two bad requests. Prints a JSON summary.
// Usage: SLINGSHOT_BASE_URL=http://127.0.0.1:8080/v1 SLINGSHOT_MODELS=a,b node tools.mjs
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.SLINGSHOT_BASE_URL, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
const city = { type: 'string', enum: ['Paris', 'Rome'] };
const tools = [
  { type: 'function', function: { name: 'get_weather', description: 'The weather in a city',
    parameters: { type: 'object', properties: { city }, required: ['city'] } } },
  { type: 'function', function: { name: 'get_time', description: 'The local time in a city',
    parameters: { type: 'object', properties: { city }, required: ['city'] } } },
];
const question = { role: 'user', content: 'What is the weather in Paris?' };
const common = { tools, max_tokens: 48, seed: 5, temperature: 0.8, chat_template_kwargs: { enable_thinking: false } };

// Accumulates streamed tool calls by index, as the SDK's documentation shows.
async function streamed(request) {
  const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
  const message = { role: 'assistant', content: '', tool_calls: [] };
  let finish = null, usage = null, chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta.content) message.content += choice.delta.content;
      for (const call of choice.delta.tool_calls ?? []) {
        const slot = message.tool_calls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.function.name += call.function.name;
        if (call.function?.arguments) slot.function.arguments += call.function.arguments;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  return { message, finish, usage, chunks };
}

async function roundTrip(model, stream) {
  // The grammar lets a random model put up to ~20 blanks between the call's tokens: room for the call to end.
  const first = { model, ...common, max_tokens: 400, messages: [question], tool_choice: 'required' };
  const reply = stream ? await streamed(first)
    : await client.chat.completions.create(first).then(r => ({ message: r.choices[0].message, finish: r.choices[0].finish_reason, usage: r.usage }));
  const call = reply.message.tool_calls?.[0];
  const messages = [question, { role: 'assistant', content: reply.message.content || null, tool_calls: reply.message.tool_calls },
    { role: 'tool', tool_call_id: call?.id, content: 'sunny, 21 C' }];
  const second = { model, ...common, messages, tool_choice: 'none' };
  const answer = stream ? await streamed(second)
    : await client.chat.completions.create(second).then(r => ({ message: r.choices[0].message, finish: r.choices[0].finish_reason, usage: r.usage }));
  return {
    finish: reply.finish, calls: reply.message.tool_calls?.length ?? 0, id: call?.id, name: call?.function.name,
    arguments: call ? JSON.parse(call.function.arguments) : null, promptTokens: reply.usage?.prompt_tokens,
    answerFinish: answer.finish, answerCalls: answer.message.tool_calls?.length ?? 0, answerPromptTokens: answer.usage?.prompt_tokens,
    answerHasContent: typeof answer.message.content === 'string',
  };
}

async function status(request) {
  try {
    await client.chat.completions.create(request);
    return { thrown: false };
  } catch (error) {
    return { thrown: true, status: error.status, param: error.param ?? error.error?.param };
  }
}

const summary = { models: {} };
for (const model of process.env.SLINGSHOT_MODELS.split(',')) {
  const named = await client.chat.completions.create({ model, ...common, messages: [question],
    tool_choice: { type: 'function', function: { name: 'get_time' } } });
  const plain = await client.chat.completions.create({ model, messages: [question], max_tokens: 1 });
  summary.models[model] = {
    plain: await roundTrip(model, false),
    stream: await roundTrip(model, true),
    named: named.choices[0].message.tool_calls?.map(c => c.function.name) ?? [],
    promptTokensWithoutTools: plain.usage.prompt_tokens,
  };
}
const model = process.env.SLINGSHOT_MODELS.split(',')[0];
summary.unknownFunction = await status({ model, messages: [question], tools,
  tool_choice: { type: 'function', function: { name: 'get_stock' } } });
summary.toolMessageWithoutId = await status({ model, tools,
  messages: [question, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', content: 'sunny' }] });
console.log(JSON.stringify(summary));
