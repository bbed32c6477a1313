// The drawing page: everything goes through the same POST /predict that clients use.
(() => {
  const pad = document.getElementById('pad');
  const context = pad.getContext('2d');
  const digit = document.getElementById('digit');
  const confidence = document.getElementById('confidence');
  const bars = document.getElementById('bars');
  const seen = document.getElementById('seen');
  const error = document.getElementById('error');
  const model = document.getElementById('model');
  let drawing = false;
  let dirty = false;
  let last = null;

  function clear() {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, pad.width, pad.height);
    dirty = false;
  }

  function point(event) {
    const rect = pad.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * pad.width) / rect.width,
      y: ((event.clientY - rect.top) * pad.height) / rect.height,
    };
  }

  pad.addEventListener('pointerdown', (event) => {
    drawing = true;
    last = point(event);
    pad.setPointerCapture(event.pointerId);
    context.beginPath();
    context.arc(last.x, last.y, 9, 0, Math.PI * 2);
    context.fillStyle = '#111';
    context.fill();
    dirty = true;
  });
  pad.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const next = point(event);
    context.strokeStyle = '#111';
    context.lineWidth = 18;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    if (dirty) pad.toBlob((blob) => predict(blob, 'drawing.png'), 'image/png');
  };
  pad.addEventListener('pointerup', finish);
  pad.addEventListener('pointercancel', finish);

  document.getElementById('clear').addEventListener('click', () => {
    clear();
    digit.textContent = '?';
    confidence.textContent = '';
    bars.innerHTML = '';
    seen.removeAttribute('src');
    error.textContent = '';
  });
  document.getElementById('file').addEventListener('change', (event) => {
    const file = event.target.files[0];
    if (file) predict(file, file.name);
  });
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    document.body.classList.remove('dragging');
    const file = event.dataTransfer.files[0];
    if (file) predict(file, file.name);
  });

  async function predict(blob, name) {
    error.textContent = '';
    const form = new FormData();
    form.append('input', blob, name);
    try {
      const response = await fetch('predict?include=input', { method: 'POST', body: form });
      const body = await response.json();
      if (!response.ok)
        throw new Error(body.error ? body.error.message : `HTTP ${response.status}`);
      show(body);
    } catch (failure) {
      error.textContent = failure.message;
    }
  }

  function show(answer) {
    digit.textContent = String(answer.prediction);
    confidence.textContent = `${(answer.confidence * 100).toFixed(1)}% sure`;
    bars.innerHTML = '';
    answer.probabilities.forEach((p, d) => {
      const label = document.createElement('span');
      label.textContent = String(d);
      const bar = document.createElement('div');
      bar.className = d === answer.prediction ? 'bar best' : 'bar';
      const fill = document.createElement('span');
      fill.style.width = `${(p * 100).toFixed(1)}%`;
      bar.appendChild(fill);
      const value = document.createElement('span');
      value.textContent = `${(p * 100).toFixed(1)}%`;
      bars.append(label, bar, value);
    });
    if (answer.input) seen.src = answer.input;
    model.textContent = `Model ${answer.model.name} version ${answer.model.version}`;
    digit.dataset.prediction = String(answer.prediction);
  }

  clear();
})();
