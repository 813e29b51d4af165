/* Studio editor of the Raqmya assessment block: settings, questions and choices, imports. No framework. */
function RaqmyaAssessmentStudio(runtime, element, initArgs) {
    'use strict';

    var root = element.jquery ? element[0] : element;
    var catalogue = window.RaqmyaAssessmentI18n;
    var gettext = catalogue && catalogue.gettext ? catalogue.gettext : function (text) { return text; };
    var data = JSON.parse(root.querySelector('.raqmya-studio__data').textContent);
    var questions = data.questions;
    var form = root.querySelector('.raqmya-studio__form');
    var list = root.querySelector('.raqmya-studio__questions');
    var errorsBox = root.querySelector('.raqmya-studio__errors');
    var statusLine = root.querySelector('.raqmya-studio__status');
    var previewBox = root.querySelector('.raqmya-studio__preview');
    var counter = 0;
    var languageTag = new RegExp(data.language_tag);
    var invalid = {};  // positions of the questions that the last save rejected
    // The author's competence, level, tracks and points for every problem of the next problem import.
    var defaults = {competence: data.competences[0], level: 1, tracks: data.tracks.slice(), points: 1};

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

    function post(handler, body) {
        return fetch(runtime.handlerUrl(root, handler), {
            method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': readCookie('csrftoken')},
            body: JSON.stringify(body)
        }).then(function (response) {
            return response.json().then(function (json) { return {ok: response.ok, data: json}; });
        });
    }

    // Every value from the bank goes into the page through value or textContent, never as HTML.
    function make(tag, attributes, text) {
        var node = document.createElement(tag);
        Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
        if (text !== undefined) { node.textContent = text; }
        return node;
    }

    // The lang and dir of the question content, from the content language setting as typed; the interface
    // keeps its own. Empty or not a language tag: no lang, and the direction of the text itself.
    function contentLanguage() {
        var input = form.elements.content_language;
        var tag = input ? input.value.trim() : '';
        if (!languageTag.test(tag)) { return {lang: '', dir: 'auto'}; }
        var subtags = tag.toLowerCase().split('-');
        var script = subtags.slice(1).filter(function (subtag) { return /^[a-z]{4}$/.test(subtag); })[0];
        var rtl = script ? data.rtl_scripts.indexOf(script) >= 0 : data.rtl_languages.indexOf(subtags[0]) >= 0;
        return {lang: tag, dir: rtl ? 'rtl' : 'ltr'};
    }

    function content(input) {
        var language = contentLanguage();
        if (language.lang) { input.setAttribute('lang', language.lang); }
        input.setAttribute('dir', language.dir);
        return input;
    }

    function labelled(labelText, input) {
        counter += 1;
        input.id = root.id + '-f' + counter;
        var wrapper = make('p');
        wrapper.appendChild(make('label', {'for': input.id}, labelText));
        wrapper.appendChild(input);
        return wrapper;
    }

    // A button that changes the bank and draws the questions again. ``key`` names the button in the new
    // drawing (its data-focus attribute). ``action`` may return the key of the control to focus after the
    // drawing, and a message for the status line. Without a key, the button with the same key is focused.
    function button(text, key, action) {
        var node = make('button', {type: 'button', 'data-focus': key}, text);
        node.addEventListener('click', function () {
            var after = action() || {};
            render();
            var target = root.querySelector('[data-focus="' + (after.focus || key) + '"]');
            (target || root.querySelector('.raqmya-studio__save')).focus();
            if (after.message) { statusLine.textContent = after.message; }
        });
        return node;
    }

    // A message of the catalogue with its %(name)s fields filled in.
    function filled(message, values) {
        return gettext(message).replace(/%\((\w+)\)s/g, function (field, name) { return String(values[name]); });
    }

    // Move the item at ``index`` by ``step``. Return its new position, which is ``index`` at either end.
    function move(array, index, step) {
        var target = index + step;
        if (target < 0 || target >= array.length) { return index; }
        var item = array.splice(index, 1)[0];
        array.splice(target, 0, item);
        return target;
    }

    root.querySelector('.raqmya-studio__save').setAttribute('data-focus', 'save');

    // The keys of a question's and of a choice's controls, for ``button``.
    function questionKey(index, control) { return 'q' + index + '-' + control; }
    function choiceKey(question, index, control) { return 'q' + question + '-c' + index + '-' + control; }

    // Move an item as ``move`` does. Return the key of its button at the new position and ``message`` with
    // the old and new numbers filled in, or nothing at either end.
    function moved(message, array, index, step, key) {
        var target = move(array, index, step);
        if (target === index) { return {}; }
        return {focus: key(target), message: filled(message, {number: index + 1, position: target + 1})};
    }

    function bind(input, object, key, convert) {
        input.value = object[key] === undefined || object[key] === null ? '' : object[key];
        input.addEventListener('input', function () { object[key] = convert ? convert(input.value) : input.value; });
        return input;
    }

    // An empty optional number is sent as null, which the server reads as "not set".
    function optional(text) { return text === '' ? null : Number(text); }

    // An empty required number is sent as "", so the server reports the field as empty rather than as 0.
    function required(text) { return text === '' ? '' : Number(text); }

    // Options show their label in the author's language when ``labels`` has one, and keep the code as value.
    function select(options, object, key, labels) {
        var node = make('select');
        options.forEach(function (value) {
            node.appendChild(make('option', {value: value}, (labels && labels[value]) || value));
        });
        return bind(node, object, key);
    }

    function renderChoice(question, questionIndex, choice, index) {
        var item = make('li', {'class': 'raqmya-studio__choice'});
        var idInput = bind(make('input', {type: 'text', 'data-focus': choiceKey(questionIndex, index, 'id')}),
            choice, 'id');
        item.appendChild(labelled(gettext('Choice id'), idInput));
        item.appendChild(labelled(gettext('Choice text'),
            content(bind(make('input', {type: 'text'}), choice, 'text'))));
        var correct = make('input', {type: 'checkbox'});
        correct.checked = !!choice.correct;
        correct.addEventListener('change', function () { choice.correct = correct.checked; });
        item.appendChild(labelled(gettext('Correct'), correct));
        item.appendChild(labelled(gettext('Feedback'),
            content(bind(make('input', {type: 'text'}), choice, 'feedback'))));
        var key = function (control) {
            return function (position) { return choiceKey(questionIndex, position, control); };
        };
        item.appendChild(button(gettext('Move up'), key('up')(index), function () {
            return moved('Choice %(number)s moved to position %(position)s.', question.choices, index, -1, key('up'));
        }));
        item.appendChild(button(gettext('Move down'), key('down')(index), function () {
            return moved('Choice %(number)s moved to position %(position)s.', question.choices, index, 1,
                key('down'));
        }));
        item.appendChild(button(gettext('Delete choice'), key('delete')(index), function () {
            question.choices.splice(index, 1);
            // The next choice's id, or the last one's, or the question's "Add a choice" button.
            var focus = question.choices.length ? key('id')(Math.min(index, question.choices.length - 1)) :
                questionKey(questionIndex, 'add-choice');
            return {focus: focus, message: filled('Choice %(number)s deleted.', {number: index + 1})};
        }));
        return item;
    }

    function renderTracks(question) {
        var box = make('fieldset');
        box.appendChild(make('legend', {}, gettext('Tracks')));
        data.tracks.forEach(function (track) {
            var input = make('input', {type: 'checkbox', value: track});
            input.checked = (question.tracks || []).indexOf(track) >= 0;
            input.addEventListener('change', function () {
                question.tracks = data.tracks.filter(function (code) {
                    return code === track ? input.checked : (question.tracks || []).indexOf(code) >= 0;
                });
            });
            box.appendChild(labelled(data.track_labels[track] || track, input));
        });
        return box;
    }

    function renderQuestion(question, index) {
        var item = make('li', {'class': 'raqmya-studio__question', 'data-index': String(index)});
        var box = make('fieldset');
        if (invalid[index]) {
            item.classList.add('raqmya-studio__question--invalid');
            box.setAttribute('aria-invalid', 'true');
        }
        box.appendChild(make('legend', {}, gettext('Question') + ' ' + (index + 1) + ' · ' + (question.id || '')));
        box.appendChild(labelled(gettext('Id'),
            bind(make('input', {type: 'text', 'data-focus': questionKey(index, 'id')}), question, 'id')));
        box.appendChild(labelled(gettext('Type'),
            select(['single', 'multiple', 'true_false'], question, 'type', data.type_labels)));
        box.appendChild(labelled(gettext('Competence'), select(data.competences, question, 'competence')));
        box.appendChild(labelled(gettext('Proficiency level'),
            bind(make('input', {type: 'number', min: '1', max: '8'}), question, 'level', required)));
        box.appendChild(labelled(gettext('Difficulty (logits, empty: from the level)'),
            bind(make('input', {type: 'number', min: '-6', max: '6', step: 'any'}), question, 'difficulty', optional)));
        box.appendChild(labelled(gettext('Discrimination (empty: 1)'),
            bind(make('input', {type: 'number', min: '0.2', max: '4', step: 'any'}), question, 'discrimination',
                optional)));
        box.appendChild(labelled(gettext('Points'),
            bind(make('input', {type: 'number', min: '0', step: 'any'}), question, 'points', required)));
        box.appendChild(renderTracks(question));
        box.appendChild(labelled(gettext('Stem (HTML)'),
            content(bind(make('textarea', {rows: '3'}), question, 'stem'))));
        box.appendChild(labelled(gettext('Explanation (HTML)'),
            content(bind(make('textarea', {rows: '2'}), question, 'explanation'))));
        var choices = make('ol');
        (question.choices || []).forEach(function (choice, position) {
            choices.appendChild(renderChoice(question, index, choice, position));
        });
        box.appendChild(choices);
        box.appendChild(button(gettext('Add a choice'), questionKey(index, 'add-choice'), function () {
            question.choices.push({id: 'c' + (question.choices.length + 1), text: '', correct: false});
            return {focus: choiceKey(index, question.choices.length - 1, 'id')};
        }));
        var key = function (control) {
            return function (position) { return questionKey(position, control); };
        };
        box.appendChild(button(gettext('Move up'), key('up')(index), function () {
            return moved('Question %(number)s moved to position %(position)s.', questions, index, -1, key('up'));
        }));
        box.appendChild(button(gettext('Move down'), key('down')(index), function () {
            return moved('Question %(number)s moved to position %(position)s.', questions, index, 1, key('down'));
        }));
        box.appendChild(button(gettext('Delete question'), key('delete')(index), function () {
            questions.splice(index, 1);
            // The next question's id, or the last one's. With no question left, the Save button.
            var focus = questions.length ? key('id')(Math.min(index, questions.length - 1)) : 'save';
            return {focus: focus, message: filled('Question %(number)s deleted.', {number: index + 1})};
        }));
        item.appendChild(box);
        return item;
    }

    function render() {
        list.textContent = '';
        questions.forEach(function (question, index) { list.appendChild(renderQuestion(question, index)); });
    }

    function fillSettings() {
        Object.keys(data.settings).forEach(function (name) {
            var input = form.elements[name];
            var value = data.settings[name];
            if (input.type === 'checkbox') {
                input.checked = !!value;
            } else {
                input.value = value === null ? '' : value;
            }
        });
    }

    // Each setting is read by its input's type: a checkbox as true or false, a number input as a number,
    // an empty optional number as null. A whole-number input (step 1) becomes a number only when its text
    // is digits, with an optional minus sign. Other text, such as 2.5 or 1e3, and an empty required number
    // are sent as typed, so the server names the field, the value and the fix.
    function readSettings() {
        var values = {};
        Object.keys(data.settings).forEach(function (name) {
            var input = form.elements[name];
            var raw = input.value;
            if (input.type === 'checkbox') {
                values[name] = input.checked;
            } else if (input.type !== 'number') {
                values[name] = raw;
            } else if (raw === '') {
                values[name] = input.getAttribute('data-optional') ? null : raw;
            } else if (input.getAttribute('step') === '1') {
                values[name] = /^-?[0-9]+$/.test(raw) ? parseInt(raw, 10) : raw;
            } else {
                values[name] = parseFloat(raw);
            }
        });
        return values;
    }


    // Runs of Latin text, numbers and code (a value, a field code, a tag list) inside a right-to-left
    // message: each is put in its own <bdi>, so that "max_attempts = -2" keeps its order in Arabic.
    var RTL_LETTERS = '\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF';
    var LATIN_RUN = new RegExp('[A-Za-z0-9\'"+<(\\[{_-](?:[^' + RTL_LETTERS + '\u00ab\u00bb]*' +
        '[A-Za-z0-9\'")\\]}>_%])?', 'g');
    var RTL_TEXT = new RegExp('[' + RTL_LETTERS + ']');

    function isolated(node, text) {
        if (!RTL_TEXT.test(text)) {
            node.textContent = text;
            return node;
        }
        var last = 0;
        text.replace(LATIN_RUN, function (run, offset) {
            if (!/[A-Za-z0-9]/.test(run)) { return run; }
            node.appendChild(document.createTextNode(text.slice(last, offset)));
            node.appendChild(make('bdi', {}, run));
            last = offset + run.length;
            return run;
        });
        node.appendChild(document.createTextNode(text.slice(last)));
        return node;
    }

    function showErrors(reply, box) {
        box.textContent = '';
        if (!reply.data.error) { return; }
        box.appendChild(make('p', {}, reply.data.error));
        var items = make('ul');
        (reply.data.errors || []).forEach(function (error) {
            items.appendChild(isolated(make('li', {'data-field': error.field || ''}), error.message));
        });
        box.appendChild(items);
    }

    // Competence, level, points and tracks of one question or of the import's defaults, bound to ``object``.
    function appendValues(box, object) {
        box.appendChild(labelled(gettext('Competence'), select(data.competences, object, 'competence')));
        box.appendChild(labelled(gettext('Proficiency level'),
            bind(make('input', {type: 'number', min: '1', max: '8'}), object, 'level', required)));
        box.appendChild(labelled(gettext('Points'),
            bind(make('input', {type: 'number', min: '0', step: 'any'}), object, 'points', required)));
        box.appendChild(renderTracks(object));
    }

    function renderDefaults() {
        var box = root.querySelector('.raqmya-studio__defaults');
        var set = make('fieldset');
        set.appendChild(make('legend', {}, gettext('Values for the imported problems')));
        appendValues(set, defaults);
        box.textContent = '';
        box.appendChild(set);
    }

    function sourceLabel(source) {
        if (source.row !== undefined) { return gettext('Row') + ' ' + source.row; }
        return source.problem || '';
    }

    // Each importable question is shown with its own values, which the author may change before confirming.
    function showPreview(reply) {
        previewBox.textContent = '';
        if (!reply.ok) { showErrors(reply, previewBox); return; }
        var pending = reply.data;
        var ready = make('ol', {'class': 'raqmya-studio__ready'});
        pending.questions.forEach(function (question, index) {
            var item = make('li', {'data-question-id': question.id});
            var set = make('fieldset');
            set.appendChild(make('legend', {}, sourceLabel(pending.sources[index]) + ' · ' + question.id));
            appendValues(set, question);
            item.appendChild(set);
            ready.appendChild(item);
        });
        var problems = make('ul', {'class': 'raqmya-studio__problems'});
        pending.problems.forEach(function (problem) {
            problems.appendChild(isolated(make('li'), sourceLabel(problem) + ': ' + problem.message));
        });
        var importErrors = make('div', {'class': 'raqmya-studio__import-errors', role: 'alert'});
        previewBox.appendChild(ready);
        previewBox.appendChild(problems);
        previewBox.appendChild(importErrors);
        var confirm = make('button', {type: 'button', 'class': 'raqmya-studio__confirm'},
            gettext('Add these questions') + ' (' + pending.questions.length + ')');
        confirm.addEventListener('click', function () {
            post('import_confirm', {questions: pending.questions, sources: pending.sources,
                existing_ids: existingIds()}).then(function (answer) {
                if (!answer.ok) { showErrors(answer, importErrors); return; }
                questions.push.apply(questions, answer.data.questions);
                previewBox.textContent = '';
                render();
            });
        });
        previewBox.appendChild(confirm);
    }

    function existingIds() { return questions.map(function (question) { return question.id; }); }

    root.querySelector('.raqmya-studio__file').addEventListener('change', function (event) {
        var file = event.target.files[0];
        if (!file) { return; }
        var reader = new FileReader();
        reader.onload = function () {
            var bytes = new Uint8Array(reader.result);
            var binary = '';
            for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
            post('import_preview', {filename: file.name, content: btoa(binary), existing_ids: existingIds()})
                .then(showPreview);
        };
        reader.readAsArrayBuffer(file);
    });

    root.querySelector('.raqmya-studio__olx').addEventListener('change', function (event) {
        if (!event.target.value.trim()) { return; }
        post('import_preview', {olx: event.target.value, competence: defaults.competence, level: defaults.level,
            tracks: defaults.tracks, points: defaults.points, existing_ids: existingIds()}).then(showPreview);
    });

    root.querySelector('.raqmya-studio__template').setAttribute('href', initArgs.template_url);

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        statusLine.textContent = '';
        post('studio_save', {settings: readSettings(), questions: questions}).then(function (reply) {
            invalid = {};
            (reply.data.errors || []).forEach(function (error) {
                if (typeof error.position === 'number') { invalid[error.position] = true; }
            });
            render();
            showErrors(reply, errorsBox);
            statusLine.textContent = reply.ok ? gettext('Saved.') : '';
            if (reply.ok && runtime.notify) { runtime.notify('save', {state: 'end'}); }
        });
    });

    fillSettings();
    if (form.elements.content_language) {
        // The question fields follow the content language as the author types it.
        form.elements.content_language.addEventListener('change', render);
    }
    renderDefaults();
    render();
}
