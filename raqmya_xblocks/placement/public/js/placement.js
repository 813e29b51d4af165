/* Learner view of the Raqmya placement test: sends each form to its handler and shows the HTML it returns. */
function RaqmyaPlacement(runtime, element, initArgs) {
    'use strict';

    var root = element.jquery ? element[0] : element;
    var body = root.querySelector('.raqmya-placement__body');
    var alertLine = root.querySelector('.raqmya-placement__alert');

    function readCookie(name) {
        var pairs = document.cookie ? document.cookie.split(';') : [];
        for (var i = 0; i < pairs.length; i++) {
            var pair = pairs[i].trim();
            if (pair.indexOf(name + '=') === 0) { return decodeURIComponent(pair.substring(name.length + 1)); }
        }
        return '';
    }

    function payload(form) {
        if (form.getAttribute('data-handler') === 'start') {
            var levels = {};
            Array.prototype.forEach.call(form.querySelectorAll('select[data-area]'), function (select) {
                if (select.value) { levels[select.getAttribute('data-area')] = parseInt(select.value, 10); }
            });
            return {self_levels: levels};
        }
        var checked = Array.prototype.map.call(form.querySelectorAll('input:checked'), function (input) {
            return input.value;
        });
        var multiple = form.querySelector('input[type="checkbox"]') !== null;
        return {item: form.getAttribute('data-item'), answer: multiple ? checked : checked[0]};
    }

    // The server sends the body's HTML, rendered and translated by the block's own template.
    function show(state) {
        body.innerHTML = state.html;
        var focus = body.querySelector('[tabindex="-1"]') || body.querySelector('button');
        if (focus) { focus.focus(); }
    }

    body.addEventListener('submit', function (event) {
        var form = event.target;
        event.preventDefault();
        alertLine.textContent = '';
        var button = form.querySelector('button');
        button.disabled = true;
        fetch(runtime.handlerUrl(root, form.getAttribute('data-handler')), {
            method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': readCookie('csrftoken')},
            body: JSON.stringify(payload(form))
        }).then(function (response) {
            return response.json().then(function (data) { return {ok: response.ok, data: data}; });
        }).then(function (reply) {
            button.disabled = false;
            if (reply.ok) {
                show(reply.data);
            } else {
                alertLine.textContent = reply.data.error || initArgs.error_text;
            }
        }).catch(function () {
            button.disabled = false;
            alertLine.textContent = initArgs.error_text;
        });
    });
}
