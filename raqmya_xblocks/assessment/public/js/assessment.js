/* Learner side of the Raqmya assessment block: posts the answers of one attempt and shows the result. */
function RaqmyaAssessment(runtime, element, initArgs) {
    'use strict';

    // The LMS passes a DOM element, xblock-sdk's workbench may pass a jQuery object.
    var root = element.jquery ? element[0] : element;
    var texts = initArgs || {};
    var form = root.querySelector('.raqmya-assessment__form');
    var result = root.querySelector('.raqmya-assessment__result');
    var attemptsLine = root.querySelector('.raqmya-assessment__attempts');
    var submitButton = root.querySelector('.raqmya-assessment__submit');
    var sending = false;
    var catalogue = window.RaqmyaAssessmentI18n;
    var gettext = catalogue && catalogue.gettext ? catalogue.gettext : function (text) { return text; };

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
            var questionId = fieldsets[i].getAttribute('data-question-id');
            var checked = fieldsets[i].querySelectorAll('input:checked');
            var ids = [];
            for (var j = 0; j < checked.length; j++) {
                ids.push(checked[j].value);
            }
            // A question with nothing ticked is left out, so the server reports it as unanswered.
            if (!ids.length) {
                continue;
            }
            answers[questionId] = fieldsets[i].getAttribute('data-kind') === 'checkbox' ? ids : ids[0];
        }
        return answers;
    }

    function fillList(selector, rows) {
        var list = result.querySelector(selector);
        if (!list) {
            return;
        }
        list.textContent = '';
        for (var i = 0; i < rows.length; i++) {
            var item = document.createElement('li');
            item.textContent = rows[i].text;
            list.appendChild(item);
        }
    }

    function showResult(data) {
        result.querySelector('.raqmya-assessment__summary').textContent = data.summary || '';
        var subtitle = result.querySelector('.raqmya-assessment__subtitle');
        if (subtitle) {
            subtitle.hidden = !(data.competences && data.competences.length);
        }
        fillList('.raqmya-assessment__competences', data.competences || []);
        fillList('.raqmya-assessment__areas', data.areas || []);
        result.focus();
    }

    function showMessage(text) {
        result.querySelector('.raqmya-assessment__summary').textContent = text;
        result.focus();
    }

    // When the policy allows, the submit reply lists each question's correct choices. Mark each one once,
    // as the server does in a reviewed attempt, even if the page already marked it.
    function markCorrectChoices(review) {
        var fieldsets = form.querySelectorAll('fieldset[data-question-id]');
        for (var i = 0; i < fieldsets.length; i++) {
            var entry = review[fieldsets[i].getAttribute('data-question-id')];
            var inputs = fieldsets[i].querySelectorAll('input');
            for (var j = 0; entry && j < inputs.length; j++) {
                var label = inputs[j].labels && inputs[j].labels[0];
                if (!label || entry.correct_ids.indexOf(inputs[j].value) === -1 ||
                        label.querySelector('.raqmya-assessment__answer')) {
                    continue;
                }
                var answer = document.createElement('span');
                answer.className = 'raqmya-assessment__answer';
                answer.setAttribute('lang', texts.lang || '');
                answer.setAttribute('dir', texts.dir || 'auto');
                answer.textContent = ' (' + gettext('Correct answer') + ')';
                label.appendChild(answer);
            }
        }
    }

    // Review texts are sanitised on the server on an allow-list; marks are plain text.
    function showReview(review) {
        var marks = form.querySelectorAll('[data-mark-for]');
        for (var i = 0; i < marks.length; i++) {
            var entry = review[marks[i].getAttribute('data-mark-for')];
            marks[i].textContent = entry ? entry.mark : '';
            if (entry) {
                marks[i].setAttribute('data-result', entry.correct ? 'right' : 'wrong');
            }
        }
        markCorrectChoices(review);
        var feedbacks = form.querySelectorAll('[data-feedback-for]');
        for (var j = 0; j < feedbacks.length; j++) {
            var item = review[feedbacks[j].getAttribute('data-feedback-for')];
            if (item) {
                var html = item.feedback.map(function (text) { return '<p>' + text + '</p>'; }).join('');
                feedbacks[j].innerHTML = html;
                if (item.explanation) {
                    var paragraph = document.createElement('p');
                    var title = document.createElement('strong');
                    title.setAttribute('lang', texts.lang || '');
                    title.setAttribute('dir', texts.dir || 'auto');
                    title.textContent = gettext('Explanation');
                    paragraph.appendChild(title);
                    paragraph.insertAdjacentHTML('beforeend', ' ' + item.explanation);
                    feedbacks[j].appendChild(paragraph);
                }
            }
        }
    }

    function lockForm(data) {
        if (attemptsLine) {
            attemptsLine.textContent = data.attempts_text || '';
        }
        var inputs = form.querySelectorAll('input');
        for (var i = 0; i < inputs.length; i++) {
            inputs[i].disabled = true;
        }
        submitButton.disabled = data.attempts_remaining === 0;
        if (data.attempts_remaining !== 0) {
            // A new attempt draws new questions, which the server renders on reload.
            submitButton.textContent = texts.retry_text || '';
            submitButton.setAttribute('data-retry', 'true');
        }
    }

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (submitButton.getAttribute('data-retry') === 'true') {
            window.location.reload();
            return;
        }
        if (sending) {
            return;
        }
        sending = true;
        submitButton.disabled = true;
        showMessage(texts.sending_text || '');
        fetch(runtime.handlerUrl(root, 'submit'), {
            method: 'POST',
            credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': readCookie('csrftoken')},
            body: JSON.stringify({attempt: parseInt(form.getAttribute('data-attempt'), 10), answers: collectAnswers(),
                form: form.getAttribute('data-form') || ''})
        }).then(function (response) {
            return response.json().then(function (data) {
                return {ok: response.ok, data: data};
            });
        }).then(function (reply) {
            sending = false;
            if (!reply.ok) {
                submitButton.disabled = false;
                showMessage(reply.data.error || texts.error_text || '');
                return;
            }
            // The state may have been given a new token (it was reset since the page loaded).
            form.setAttribute('data-form', reply.data.form || '');
            showReview(reply.data.review || {});
            lockForm(reply.data);
            showResult(reply.data);
        }).catch(function () {
            sending = false;
            submitButton.disabled = false;
            showMessage(texts.error_text || '');
        });
    });
}
