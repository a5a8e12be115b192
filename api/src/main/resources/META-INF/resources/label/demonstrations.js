/* Writing demonstrations: the response a labeler would want the model to give to the prompt. */
'use strict';

(() => {
  const prompt = document.getElementById('prompt');
  const response = document.getElementById('response');
  const counter = document.getElementById('counter');
  let maxChars = Infinity;

  const submit = Label.taskLoop('collect-demonstrations', (task, queue) => {
    prompt.textContent = task.prompt;
    response.value = '';
    maxChars = queue.max_chars ?? Infinity;
    count();
    response.focus();
  });

  function count() {
    counter.textContent = `${response.value.length} / ${maxChars} characters`;
    counter.classList.toggle('over', response.value.length > maxChars);
  }

  function send() {
    const text = response.value;
    if (!text.trim()) {
      App.showError(new Error('write a response before submitting'));
    } else if (text.length > maxChars) {
      App.showError(new Error(`the response has ${text.length} characters; at most ${maxChars} are allowed`));
    } else {
      submit({ completion: text });
    }
  }

  response.addEventListener('input', count);
  response.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  });
  document.getElementById('submit').addEventListener('click', send);
})();
