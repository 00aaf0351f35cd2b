// policywatch: the little script the compare page needs. Everything works
// without it; it adds unfolding in place and change-to-change navigation
// (buttons, and the keys j / k).
(function () {
  'use strict';

  var STEP = 40; // unchanged rows revealed per click

  function unfold(link) {
    var fold = link.closest('tr');
    var row = fold.nextElementSibling;
    var shown = 0;
    while (row && row.hidden && shown < STEP) {
      row.hidden = false;
      shown++;
      row = row.nextElementSibling;
    }
    var left = 0;
    for (var r = row; r && r.hidden; r = r.nextElementSibling) left++;
    if (left === 0) {
      fold.remove();
      return;
    }
    // Keep the fold below what was just shown.
    fold.parentNode.insertBefore(fold, row);
    link.dataset.rows = left;
    link.textContent = foldLabel(link, left);
  }

  // foldLabel words a fold link for the lines it still hides, from the
  // texts the page gives it (data-part, data-all, data-one): how many
  // are hidden, and how many the next click shows.
  function foldLabel(link, left) {
    var d = link.dataset;
    var text = left > STEP ? d.part : (left === 1 ? d.one : d.all);
    if (!text) return link.textContent;
    return text.replace('{n}', left).replace('{show}', Math.min(left, STEP));
  }

  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a.unfold');
    if (link) {
      e.preventDefault();
      unfold(link);
    }
  });

  // Change navigation.
  var blocks = [];
  var current = -1;
  var position = null;

  function go(delta) {
    if (!blocks.length) return;
    if (current < 0) {
      // Start from the first change below the top of the window.
      current = delta > 0 ? -1 : blocks.length;
      for (var i = 0; i < blocks.length; i++) {
        if (blocks[i].getBoundingClientRect().top > 80) { current = delta > 0 ? i - 1 : i; break; }
      }
    }
    var next = Math.max(0, Math.min(blocks.length - 1, current + delta));
    if (current >= 0 && current < blocks.length) blocks[current].classList.remove('cur');
    current = next;
    var row = blocks[current];
    row.classList.add('cur');
    row.scrollIntoView({ block: 'center' });
    if (position && position.dataset.current) {
      position.textContent = position.dataset.current
        .replace('{i}', current + 1).replace('{n}', blocks.length);
    }
    if (history.replaceState && row.id) history.replaceState(null, '', '#' + row.id);
  }

  document.addEventListener('DOMContentLoaded', function () {
    blocks = Array.prototype.slice.call(document.querySelectorAll('table.diff tr.blk'));
    position = document.querySelector('.toolbar .position');
    document.querySelectorAll('[data-nav]').forEach(function (b) {
      b.addEventListener('click', function () { go(b.dataset.nav === 'next' ? 1 : -1); });
    });
  });

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === 'j') { go(1); e.preventDefault(); }
    if (e.key === 'k') { go(-1); e.preventDefault(); }
  });
})();
