// Reference GPT-2 encodings for Gpt2BpeParityTest, from the npm package gpt-3-encoder (a port of
// OpenAI's encoder.py with GPT-2's vocabulary).
//   node gpt3_encode.js NODE_MODULES_PARENT IN.json OUT.json   IN: ["text", ...]  OUT: [{ids, decoded}, ...]
const path = require('path');
const fs = require('fs');
const [prefix, input, output] = process.argv.slice(2);
const { encode, decode } = require(path.resolve(prefix, 'node_modules', 'gpt-3-encoder'));
const texts = JSON.parse(fs.readFileSync(input, 'utf-8'));
fs.writeFileSync(output, JSON.stringify(texts.map(t => {
  const ids = encode(t);
  return { ids, decoded: decode(ids) };
})));
