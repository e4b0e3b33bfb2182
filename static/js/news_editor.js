// The news editor: turns the HTML textarea marked data-rich-editor into a Quill editor
// (static/vendor/quill, served by the portal). Without JavaScript the textarea stays as it
// is. Whatever the editor writes, the server sanitises it (news.services.sanitise): this
// file is a convenience, never a gate. Images come from the item's own uploads only: the
// buttons of the [data-editor-images] list insert them; nothing is uploaded from here.
(function () {
  "use strict";

  function setUp(textarea) {
    if (typeof window.Quill === "undefined") {
      return;
    }
    var form = textarea.form;
    var holder = document.createElement("div");
    holder.className = "rich-editor";
    textarea.parentNode.insertBefore(holder, textarea.nextSibling);
    textarea.hidden = true;
    var picker = document.querySelector("[data-editor-images]");

    var quill = new window.Quill(holder, {
      theme: "snow",
      modules: {
        toolbar: {
          container: [
            [{ header: [2, 3, 4, false] }],
            ["bold", "italic", "underline", "strike"],
            [{ list: "ordered" }, { list: "bullet" }],
            ["blockquote", "link", "image"],
            ["clean"]
          ],
          handlers: {
            image: function () {
              // The item's uploaded images are listed below the form.
              if (picker) {
                picker.hidden = false;
                picker.scrollIntoView({ block: "nearest" });
                var first = picker.querySelector("button");
                if (first) { first.focus(); }
              }
            }
          }
        },
        clipboard: { matchVisual: false }
      }
    });
    if (textarea.id) {
      quill.root.setAttribute("aria-labelledby", textarea.id + "-label");
      var label = document.querySelector('label[for="' + textarea.id + '"]');
      if (label && !label.id) { label.id = textarea.id + "-label"; }
    }
    quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");

    if (picker) {
      picker.addEventListener("click", function (event) {
        var button = event.target.closest("[data-editor-image]");
        if (!button) { return; }
        event.preventDefault();
        var range = quill.getSelection(true);
        var index = range ? range.index : quill.getLength();
        quill.insertEmbed(index, "image", button.getAttribute("data-editor-image"), "user");
        quill.setSelection(index + 1, 0, "silent");
      });
    }

    var copy = function () {
      var empty = !quill.getText().trim() && !quill.root.querySelector("img");
      textarea.value = empty ? "" : quill.getSemanticHTML();
    };
    quill.on("text-change", copy);
    form.addEventListener("submit", copy);
  }

  document.querySelectorAll("textarea[data-rich-editor]").forEach(setUp);
})();
