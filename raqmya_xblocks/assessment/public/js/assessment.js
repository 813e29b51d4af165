/* Learner side of the Raqmya assessment block: posts the chosen answers and shows the graded result. */
function RaqmyaAssessment(runtime, element, initArgs) {
    'use strict';

    // The LMS passes a DOM element, xblock-sdk's workbench may pass a jQuery object.
    var root = element.jquery ? element[0] : element;
    var texts = initArgs || {};
    var form = root.querySelector('.raqmya-assessment__form');
    var result = root.querySelector('.raqmya-assessment__result');
    var attemptsLine = root.querySelector('.raqmya-assessment__attempts');
    var submitButton = root.querySelector('.raqmya-assessment__submit');

    if (!form) {
        return;
    }

    // Django's CSRF middleware, in the LMS as in the devstack, expects the csrftoken cookie back as a header.
    function readCookie(name) {
        var pairs = document.cookie ? document.cookie.split(';') : [];
        for (var i = 0; i < pairs.length; i++) {
            var pair = pairs[i].trim();
            if (pair.indexOf(name + '=') === 0) {
                return decodeURIComponent(pair.substring(name.length + 1));
            }
        }
        return '';
    }

    function collectAnswers() {
        var answers = {};
        var fieldsets = form.querySelectorAll('fieldset[data-question-id]');
        for (var i = 0; i < fieldsets.length; i++) {
            var checked = fieldsets[i].querySelector('input[type=radio]:checked');
            if (checked) {
                answers[fieldsets[i].getAttribute('data-question-id')] = checked.value;
            }
        }
        return answers;
    }

    function showResult(text) {
        result.textContent = text;
        result.focus();
    }

    function showMarks(data) {
        var marks = form.querySelectorAll('[data-mark-for]');
        for (var i = 0; i < marks.length; i++) {
            var questionId = marks[i].getAttribute('data-mark-for');
            marks[i].textContent = data.marks[questionId] || '';
            marks[i].setAttribute('data-result', data.correct[questionId] ? 'right' : 'wrong');
        }
        var feedbacks = form.querySelectorAll('[data-feedback-for]');
        for (var j = 0; j < feedbacks.length; j++) {
            // The server sanitises feedback HTML on an allow-list before sending it.
            feedbacks[j].innerHTML = data.feedback[feedbacks[j].getAttribute('data-feedback-for')] || '';
        }
    }

    function lockWhenNoAttemptsRemain(data) {
        if (attemptsLine) {
            attemptsLine.textContent = data.attempts_text || '';
        }
        if (data.attempts_remaining === 0) {
            var inputs = form.querySelectorAll('input, button');
            for (var i = 0; i < inputs.length; i++) {
                inputs[i].disabled = true;
            }
        }
    }

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        submitButton.disabled = true;
        result.textContent = texts.sending_text || '';
        fetch(runtime.handlerUrl(root, 'submit'), {
            method: 'POST',
            credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': readCookie('csrftoken')},
            body: JSON.stringify({answers: collectAnswers()})
        }).then(function (response) {
            return response.json().then(function (data) {
                return {ok: response.ok, data: data};
            });
        }).then(function (reply) {
            submitButton.disabled = false;
            if (!reply.ok) {
                showResult(reply.data.error || texts.error_text || '');
                return;
            }
            showMarks(reply.data);
            lockWhenNoAttemptsRemain(reply.data);
            showResult(reply.data.summary);
        }).catch(function () {
            submitButton.disabled = false;
            showResult(texts.error_text || '');
        });
    });
}
