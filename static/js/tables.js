// Tables read as stacked rows on a phone: every table in <main> with column headers gets the class
// "stack-table" (site.css shows it one block per row below 40rem) and each of its cells a data-label,
// its column's header, shown before the cell's content. The table and its parts are given their
// roles explicitly, so that screen readers still hear a table once CSS makes it blocks.
// A grid of choices (every data cell a single checkbox or radio button) stays a grid: it fits a
// phone, and stacked it would only be longer.
(function () {
  function text(cell) {
    return cell.textContent.replace(/\s+/g, " ").trim();
  }

  // The header of each column, by column index, from the last row of the table's head.
  function columnNames(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return [];
    var names = [];
    Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (cell) {
      for (var i = 0; i < cell.colSpan; i++) names.push(text(cell));
    });
    return names;
  }

  function isChoiceGrid(table) {
    var cells = table.querySelectorAll("tbody td");
    if (!cells.length) return false;
    return Array.prototype.every.call(cells, function (cell) {
      var controls = cell.querySelectorAll("input, select, textarea, button");
      return controls.length === 1 && /^(checkbox|radio)$/.test(controls[0].type) && !text(cell);
    });
  }

  function stack(table) {
    var names = columnNames(table);
    if (!names.some(Boolean) || isChoiceGrid(table)) return;
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var inHead = row.parentNode === table.tHead;
        if (cell.tagName === "TD") {
          cell.setAttribute("role", "cell");
        } else {
          cell.setAttribute("role", inHead || cell.scope === "col" ? "columnheader" : "rowheader");
        }
        // A row's own header (its name) and a cell across several columns need no column name.
        if (!inHead && cell.tagName === "TD" && cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += cell.colSpan;
      });
    });
    table.classList.add("stack-table");
  }

  document.querySelectorAll("main table").forEach(stack);
})();
